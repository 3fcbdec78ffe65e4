/**
 * One `resources/read` through a person's connection, and its outcome as a value a person can
 * read: the contents as plain data (the rest of the server knows nothing of the SDK), or a failure
 * saying whose it is. Bounding what is shown is the caller's: this layer hands over what came.
 */
import { ProtocolError, ResourceNotFoundError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { connectionFailure } from './connection-failure.ts';
import type { ToolClient } from './transports.ts';

/** One item of a read: text, or base64 `blob` data. */
export interface ResourceContent {
  uri: string;
  mimeType?: string;
  text?: string;
  blob?: string;
}

export type ResourceReadFailureKind =
  /** The person has not connected that server (or it is disabled): nothing was asked of it. */
  | 'not-connected'
  | 'needs-sign-in'
  /** The server could not be reached, or dropped the connection. */
  | 'unavailable'
  | 'timeout'
  /** The server says it has no such resource (for this person). */
  | 'not-found'
  /** The server answered with another error, or Countersign could not use its answer. */
  | 'protocol';

export type ResourceRead = { ok: true; contents: ResourceContent[] } | { ok: false; kind: ResourceReadFailureKind; message: string };

export function readFailure(kind: ResourceReadFailureKind, message: string): ResourceRead {
  return { ok: false, kind, message };
}

export async function readResource(client: ToolClient, serverName: string, uri: string, timeoutMs: number): Promise<ResourceRead> {
  try {
    const { contents } = await client.readResource({ uri }, { timeout: timeoutMs });
    return {
      ok: true,
      contents: contents.map((c) => ({
        uri: c.uri,
        ...(c.mimeType ? { mimeType: c.mimeType } : {}),
        ...('text' in c ? { text: c.text } : { blob: c.blob }),
      })),
    };
  } catch (error) {
    return failureOf(error, serverName, uri, timeoutMs);
  }
}

/** What the server sent back (a JSON-RPC error) is the server's; what the SDK raised here is Countersign's. */
function failureOf(error: unknown, serverName: string, uri: string, timeoutMs: number): ResourceRead {
  if (error instanceof ResourceNotFoundError) return readFailure('not-found', `${serverName} has no resource ${uri}`);
  if (error instanceof ProtocolError) return readFailure('protocol', `${serverName} answered with an error: ${error.message}`);
  if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
    return readFailure('timeout', `${serverName} gave no answer in ${Math.round(timeoutMs / 1000)} s`);
  }
  const lost = connectionFailure(error, serverName);
  if (lost) return readFailure(lost.kind, lost.message);
  if (error instanceof SdkError) return readFailure('protocol', `Countersign could not read ${uri} from ${serverName}: ${error.message}`);
  const message = error instanceof Error ? error.message : String(error);
  return readFailure('unavailable', `${serverName} could not be reached: ${message}`);
}
