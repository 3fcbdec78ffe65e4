/**
 * What a server may ask of the person while one of their calls runs: elicitation (a form to fill
 * in, or a link to open) and sampling (a reply from the chat's model), in both protocol eras (a
 * 2025 request, or a 2026-07-28 `input_required` round trip, which the SDK answers through the
 * same handlers). The MCP layer only relays, to the call's own `PersonQuestions`, and stops the
 * call's clock while the person answers.
 */
import { type Client, type ElicitResult, ProtocolError, ProtocolErrorCode, type SamplingMessage } from '@modelcontextprotocol/client';
import type { SamplingMessageView } from '../../shared/questions.ts';
import type { PersonQuestions } from '../agent/tool-port.ts';
import type { CallClock } from './call-clock.ts';
import type { CallsInProgress } from './calls-in-progress.ts';
import type { CatalogueEntry } from './catalogue-store.ts';

export interface ActiveCall {
  /** Absent for a call nobody can answer questions for (a test connection, a script): the server is told so. */
  questions?: PersonQuestions;
  clock: CallClock;
}

/** The SDK's wording of the spec's "user rejected sampling request" (code -1). */
const REJECTED = -1;

/** The capabilities to declare for a server: elicitation always, sampling only where its admin allows it. */
export function requestCapabilities(entry: CatalogueEntry) {
  return {
    // applyDefaults: fields the person left out are sent with the server's defaults (SEP-1034).
    elicitation: { form: { applyDefaults: true }, url: {} },
    ...(entry.samplingPolicy === 'off' ? {} : { sampling: {} }),
  };
}

export function answerServerRequests(client: Client, entry: CatalogueEntry, calls: CallsInProgress<ActiveCall>): void {
  /** The call a request arrived during; its signal ends with the request or the call, whichever first. */
  const askedDuringCall = (what: string, requestSignal: AbortSignal) => {
    const call = calls.current();
    if (!call?.questions) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `Countersign passes ${what} to a person only during one of their tool calls`,
      );
    }
    const signal = AbortSignal.any([requestSignal, call.clock.signal]);
    // A 2026 server asks through input_required rounds and holds nothing while the person answers.
    return { clock: call.clock, questions: call.questions, signal, roundTrip: client.getProtocolEra() === 'modern' };
  };

  client.setRequestHandler('elicitation/create', async ({ params }, ctx): Promise<ElicitResult> => {
    const { clock, questions, signal, roundTrip } = askedDuringCall('a request for input', ctx.mcpReq.signal);
    const request =
      params.mode === 'url'
        ? { mode: 'url' as const, message: params.message, url: params.url, roundTrip }
        : { mode: 'form' as const, message: params.message, requestedSchema: params.requestedSchema as never, roundTrip };
    return clock.whilePersonAnswers(() => questions.elicit(request, signal));
  });

  if (entry.samplingPolicy === 'off') return;
  client.setRequestHandler('sampling/createMessage', async ({ params }, ctx) => {
    const { clock, questions, signal, roundTrip } = askedDuringCall('a sampling request', ctx.mcpReq.signal);
    const preferences = params.modelPreferences;
    const reply = await clock.whilePersonAnswers(() =>
      questions.sample(
        {
          messages: params.messages.map(messageView),
          systemPrompt: params.systemPrompt,
          modelPreferences: preferences && {
            hints: (preferences.hints ?? []).flatMap((hint) => (hint.name ? [hint.name] : [])),
            costPriority: preferences.costPriority,
            speedPriority: preferences.speedPriority,
            intelligencePriority: preferences.intelligencePriority,
          },
          maxTokens: Math.min(params.maxTokens, entry.samplingMaxTokens),
          stopSequences: params.stopSequences,
          roundTrip,
          policy: entry.samplingPolicy === 'allowed' ? 'allowed' : 'ask',
        },
        signal,
      ),
    );
    if (reply.action === 'rejected') throw new ProtocolError(REJECTED, reply.reason);
    return {
      role: 'assistant' as const,
      content: { type: 'text' as const, text: reply.text },
      model: reply.model,
      ...(reply.stopReason ? { stopReason: reply.stopReason } : {}),
    };
  });
}

/** A message as the person reviews it: its text, and a line naming each part that is not text. */
function messageView(message: SamplingMessage): SamplingMessageView {
  const blocks = Array.isArray(message.content) ? message.content : [message.content];
  const text = blocks
    .map((block) => {
      if (block.type === 'text') return block.text;
      if (block.type === 'image' || block.type === 'audio') return `[${block.type} ${block.mimeType}]`;
      return `[${block.type.replace('_', ' ')}]`;
    })
    .join('\n');
  return { role: message.role, text };
}
