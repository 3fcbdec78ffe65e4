/**
 * What a person's request to a server (a resource read, a listing, a prompt, a completion) came
 * to, as a value: what it asked for, or a failure saying whose it is. What the server sent back (a
 * JSON-RPC error) is the server's; what the SDK raised here is Countersign's.
 */
import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { connectionFailure } from './connection-failure.ts';

export type RequestFailureKind =
  /** The person has not connected that server (or it is disabled): nothing was asked of it. */
  | 'not-connected'
  | 'needs-sign-in'
  /** The server could not be reached, or dropped the connection. */
  | 'unavailable'
  | 'timeout'
  /** The server says it has no such thing (for this person). */
  | 'not-found'
  /** The server answered with another error, or Countersign could not use its answer. */
  | 'protocol';

export interface RequestFailure {
  ok: false;
  kind: RequestFailureKind;
  message: string;
}

/** `T`'s fields beside `ok: true`, or a failure. */
export type Outcome<T> = ({ ok: true } & T) | RequestFailure;

export function requestFailure(kind: RequestFailureKind, message: string): RequestFailure {
  return { ok: false, kind, message };
}

/**
 * A thrown error as a failure; `attempt` says what Countersign tried, for the failures that are
 * its own ("read countersign://notes/1 from Countersign").
 */
export function failureOf(error: unknown, serverName: string, attempt: string, timeoutMs: number): RequestFailure {
  if (error instanceof ProtocolError) return requestFailure('protocol', `${serverName} answered with an error: ${error.message}`);
  if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
    return requestFailure('timeout', `${serverName} gave no answer in ${Math.round(timeoutMs / 1000)} s`);
  }
  const lost = connectionFailure(error, serverName);
  if (lost) return requestFailure(lost.kind, lost.message);
  if (error instanceof SdkError) return requestFailure('protocol', `Countersign could not ${attempt}: ${error.message}`);
  const message = error instanceof Error ? error.message : String(error);
  return requestFailure('unavailable', `${serverName} could not be reached: ${message}`);
}
