/**
 * One tool call and the outcome a person and a model can both read. The SDK does the protocol
 * work: a progress token on every call, and `notifications/cancelled` to the server when the
 * call's clock (call-clock.ts, restarted on progress) runs out or the caller gives up.
 */
import {
  type CallToolResult,
  type ContentBlock,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  UrlElicitationRequiredError,
} from '@modelcontextprotocol/client';
import type { ToolCallResult, ToolFailureKind } from '../agent/tool-port.ts';
import { connectionFailure } from './connection-failure.ts';
import { openedLinksFirst } from './links-first.ts';
import type { CallClock } from './call-clock.ts';
import type { ToolClient } from './transports.ts';
import type { CallOptions } from './types.ts';

/** The one rendering of tool content as text: the model reads it, the chat shows it, a tool's error message is made of it. */
function renderText(content: ContentBlock[], structured: unknown): string {
  const parts = content.map((block) => {
    switch (block.type) {
      case 'text':
        return block.text;
      case 'image':
      case 'audio':
        return `[${block.type} ${block.mimeType}]`;
      case 'resource_link':
        return `[resource ${block.uri}]`;
      case 'resource':
        return 'text' in block.resource ? block.resource.text : `[resource ${block.resource.uri}]`;
      default:
        return `[${(block as { type: string }).type}]`;
    }
  });
  if (parts.length === 0 && structured !== undefined) return JSON.stringify(structured);
  return parts.join('\n');
}

class LinksNotOpened extends Error {}

/** How the SDK (2.4) words the progress it reports while fulfilling an `input_required` round. */
const SDK_ROUND_NOTE = 'Fulfilling input required by ';

/** The longest a timer can be set for (about 24 days): in effect, no SDK timeout. */
const NO_SDK_TIMEOUT = 2 ** 31 - 1;

function seconds(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1).replace(/\.0$/, '') : String(Math.round(ms / 1000));
}

export function failure(kind: ToolFailureKind, message: string): ToolCallResult {
  return { ok: false, kind, message };
}

/**
 * The checks `Client.callTool` makes itself against the tool's output schema (SDK 2.4), which it
 * raises as ProtocolErrors although nothing crossed the wire: only their wording tells them apart.
 * (A server that sent the same words would only move the blame, never hide its text.)
 */
const SCHEMA_UNUSABLE = /^Tool .+ has an invalid outputSchema: /;
const ANSWER_CHECKS = [
  /^Tool .+ has an output schema but did not return structured content$/,
  /^Structured content does not match the tool's output schema: /,
  /^Failed to validate structured content: /,
];

/** SdkErrors (raised by the client, never sent) about the answer the server gave. */
const UNUSABLE_ANSWER: ReadonlySet<SdkErrorCode> = new Set([
  SdkErrorCode.InvalidResult,
  SdkErrorCode.UnsupportedResultType,
  SdkErrorCode.InputRequiredRoundsExceeded,
]);

/** SdkErrors about a request the client would not or could not make on this connection. */
const REQUEST_NOT_MADE: ReadonlySet<SdkErrorCode> = new Set([
  SdkErrorCode.CapabilityNotSupported,
  SdkErrorCode.MethodNotSupportedByProtocolVersion,
]);

/** Countersign's own failures, worded as such. */
const notMade = (serverName: string, error: Error) =>
  failure('protocol', `Countersign could not make this call to ${serverName}: ${error.message}`);
const unusable = (serverName: string, error: Error) =>
  failure('protocol', `Countersign could not use ${serverName}'s answer: ${error.message}`);

/**
 * Sorts a thrown error into a failure kind and says whose it is: what the server sent back (a
 * JSON-RPC error response) is the server's; what the SDK raised here is Countersign's.
 */
function toolCallFailure(error: unknown, serverName: string, timeoutMs: number, clock: CallClock, signal?: AbortSignal): ToolCallResult {
  if (signal?.aborted) return failure('cancelled', `the call to ${serverName} was cancelled`);
  if (clock.ranOut)
    return failure('timeout', `${serverName} gave no answer and no progress for ${seconds(timeoutMs)} s; the call was cancelled`);
  if (error instanceof ProtocolError) {
    // Checked before sending: the call never reached the server.
    if (SCHEMA_UNUSABLE.test(error.message)) return notMade(serverName, error);
    if (ANSWER_CHECKS.some((check) => check.test(error.message))) return unusable(serverName, error);
    return failure('protocol', `${serverName} answered with an error: ${error.message}`);
  }
  const lost = connectionFailure(error, serverName);
  if (lost) return failure(lost.kind, lost.message);
  if (error instanceof SdkError && UNUSABLE_ANSWER.has(error.code)) return unusable(serverName, error);
  if (error instanceof SdkError && REQUEST_NOT_MADE.has(error.code)) return notMade(serverName, error);
  const message = error instanceof Error ? error.message : String(error);
  return failure('unavailable', `${serverName} could not be reached: ${message}`);
}

export async function callTool(
  client: ToolClient,
  serverName: string,
  toolName: string,
  args: Record<string, unknown>,
  options: CallOptions & { timeoutMs: number; clock: CallClock },
): Promise<ToolCallResult> {
  const { signal, timeoutMs, clock } = options;
  if (signal?.aborted) return failure('cancelled', `the call to ${serverName} was cancelled before it started`);
  const call = () =>
    client.callTool(
      { name: toolName, arguments: args },
      {
        // The clock times the call; the SDK's own timer could not stand still while the person answers.
        timeout: NO_SDK_TIMEOUT,
        signal: clock.signal,
        // Always set: it makes the SDK send a progress token, which is what lets long calls report.
        onprogress: (p) => {
          clock.progressed();
          // The SDK's own note on a 2026 input_required round is not the server's progress; the question card says it.
          if (p.message?.startsWith(SDK_ROUND_NOTE)) return;
          options.onProgress?.({ progress: p.progress, total: p.total, message: p.message });
        },
      },
    );
  let result: CallToolResult;
  try {
    result = await call().catch(async (error: unknown) => {
      if (!(error instanceof UrlElicitationRequiredError) || !options.questions) throw error;
      if (!(await openedLinksFirst(error, options.questions, clock))) {
        throw new LinksNotOpened(`${serverName} needs a link opened before this call, and it was not opened`);
      }
      return call();
    });
  } catch (error) {
    if (error instanceof LinksNotOpened) return failure('protocol', error.message);
    return toolCallFailure(error, serverName, timeoutMs, clock, signal);
  } finally {
    clock.stop();
  }
  const content = result.content;
  const structured = result.structuredContent as Record<string, unknown> | undefined;
  if (result.isError) {
    return { ok: false, kind: 'tool-error', message: renderText(content, structured) || `${toolName} failed`, content };
  }
  return { ok: true, content, structuredContent: structured, text: renderText(content, structured) };
}
