/**
 * The request a line of the log was written for: each HTTP request and each WebSocket call runs
 * inside `withRequestId`, and the logger's mixin adds `requestId` to every line written meanwhile,
 * however deep the call that writes it. The browser names its requests (`x-request-id`), so a
 * person's report ("request 1f3a… failed") finds the server's lines.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { REQUEST_ID_HEADER } from '../../shared/request-id.ts';

const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;
const current = new AsyncLocalStorage<string>();

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The id a client gave (when it is a short token that is safe to log and echo), else a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given !== null && SANE_ID.test(given) ? given : newRequestId();
}

export function withRequestId<T>(id: string, work: () => T): T {
  return current.run(id, work);
}

/** The id of the request being handled here; undefined outside one (start-up, timers of their own). */
export function currentRequestId(): string | undefined {
  return current.getStore();
}
