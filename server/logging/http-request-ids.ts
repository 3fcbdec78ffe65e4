/**
 * An Elysia `wrap` (before routing, for every route) that gives each HTTP request its id: the one
 * the client sent in `x-request-id` when it is sane, else a new one. The request is handled inside
 * that id (every log line carries it) and the response echoes it, so a person can quote it.
 */
import { REQUEST_ID_HEADER } from '../../shared/request-id.ts';
import { requestIdFrom, withRequestId } from './request-context.ts';

type Handle = (request: Request) => unknown;

const ids = new WeakMap<Request, string>();

/** A request's id, given once (a WebSocket's upgrade request's names the socket's calls too). */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    id = requestIdFrom(request.headers);
    ids.set(request, id);
  }
  return id;
}

export function carryRequestIds(handle: Handle) {
  return (request: Request) => {
    const id = requestIdOf(request);
    return withRequestId(id, async () => echoed(await handle(request), id));
  };
}

function echoed(answer: unknown, id: string): unknown {
  if (!(answer instanceof Response)) return answer; // a WebSocket upgrade answers nothing
  try {
    answer.headers.set(REQUEST_ID_HEADER, id);
    return answer;
  } catch {
    // Immutable headers (a fetched or redirect response): copy them into a response of our own.
    const copy = new Response(answer.body, answer);
    copy.headers.set(REQUEST_ID_HEADER, id);
    return copy;
  }
}
