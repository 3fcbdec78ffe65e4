/**
 * The internal server's HTTP requests, served statelessly by the SDK's `createMcpHandler`: each
 * POST gets a server of its own, in either protocol era (a 2026-07-28 request carries its era in
 * its `_meta`; anything else, `initialize` included, is served as 2025-11-25 with no session),
 * and nothing outlives the request. Any instance behind a load balancer therefore serves any
 * request of any client, and an outside client holds state only while its requests are open. A
 * tools/call still reports progress: its response is an SSE stream, and the SDK writes the
 * call's notifications on it.
 *
 * Around the handler, this file keeps what the SDK leaves to the host: how many requests each
 * person holds open, and cancellation. A client cancels a call by going away, or with
 * `notifications/cancelled`, a POST of its own that may reach another instance: the call is
 * found by caller and request id among those running here (calls-in-flight.ts), or the cancel
 * goes over the control channel to the instance running it. Either way the call's request is
 * aborted, and the SDK closes its server, which aborts the tool.
 */
import {
  type AuthInfo,
  createMcpHandler,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isSpecType,
  type McpServer,
  type RequestId,
} from '@modelcontextprotocol/server';
import type { ControlChannel } from '../cluster/control-channel.ts';
import { CallsInFlight } from './calls-in-flight.ts';
import { cancelCall } from './cancel-call.ts';

/**
 * Open requests one user may have on one instance; past it a request is refused with 429. Far
 * above what a client's parallel tool calls need, low enough that no client holds a server and a
 * running tool per connection it cares to open.
 */
export const MAX_OPEN_REQUESTS_PER_USER = 16;
/** Under Bun's 10 s idle timeout, so a tool's stream with nothing to say yet is not cut off. */
const KEEP_ALIVE_MS = 5_000;

export class TooManyOpenRequests extends Error {
  override name = 'TooManyOpenRequests';
}

export class InternalMcpRequests {
  readonly #openByUser = new Map<string, number>();
  /** Aborts each open request: a shutdown ends them all. */
  readonly #open = new Set<AbortController>();
  readonly #calls = new CallsInFlight();
  readonly #handler: ReturnType<typeof createMcpHandler>;
  readonly #stopHearingCancels: () => void;

  constructor(
    createServer: () => McpServer,
    private readonly control: ControlChannel,
  ) {
    // `sse` for both eras: a call answers on a stream from the start, so its keep-alives hold the
    // connection open however long the tool runs before its first progress.
    this.#handler = createMcpHandler(createServer, { responseMode: 'sse', keepAliveMs: KEEP_ALIVE_MS });
    this.#stopHearingCancels = control.on(cancelCall, ({ userId, requestId }) => this.#calls.stop(userId, requestId));
  }

  /** Answers one request; `authInfo` names the caller the tools act for. */
  async serve(userId: string, request: Request, authInfo: AuthInfo): Promise<Response> {
    const body = await request.text();
    const messages = messagesIn(body);
    const open = this.#openByUser.get(userId) ?? 0;
    // A cancel still gets through: it is what frees a request, and it is answered at once.
    if (open >= MAX_OPEN_REQUESTS_PER_USER && !onlyNotifications(messages)) {
      throw new TooManyOpenRequests(`this user already has ${open} requests open; wait for one to finish`);
    }
    // Read again: others may have opened or closed while the body was read.
    this.#openByUser.set(userId, (this.#openByUser.get(userId) ?? 0) + 1);
    const abort = new AbortController();
    this.#open.add(abort);
    const forgetCalls = messages
      .filter((message) => isJSONRPCRequest(message))
      .map(({ id }) => this.#calls.add(userId, id, () => abort.abort()));
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.#open.delete(abort);
      for (const forget of forgetCalls) forget();
      const left = (this.#openByUser.get(userId) ?? 1) - 1;
      if (left > 0) this.#openByUser.set(userId, left);
      else this.#openByUser.delete(userId);
      // Stops a tool still running: with no session there is nowhere left to send its result.
      abort.abort();
    };
    try {
      // Answered once the call is stopped or every instance has been told: a cancel that could not be passed on is an error.
      await Promise.all(messages.map(cancelledRequest).flatMap((id) => (id === undefined ? [] : [this.#cancel(userId, id)])));
      const signal = AbortSignal.any([request.signal, abort.signal]);
      const forwarded = new Request(request.url, { method: request.method, headers: request.headers, body, signal });
      return closedWhenDone(await this.#handler.fetch(forwarded, { authInfo }), close);
    } catch (error) {
      close();
      throw error;
    }
  }

  /** Stops this user's call with that id: here if it runs here, else on the instance running it. */
  async #cancel(userId: string, requestId: RequestId): Promise<void> {
    if (!this.#calls.stop(userId, requestId)) await this.control.publish(cancelCall, { userId, requestId });
  }

  /** Ends every open request, so a shutdown does not wait for a long tool call. */
  async closeAll(): Promise<void> {
    this.#stopHearingCancels();
    for (const abort of this.#open) abort.abort();
    await this.#handler.close();
  }
}

/** The JSON-RPC messages a POST body holds: one, or a batch; none when it is not JSON (the SDK answers that). */
function messagesIn(body: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

/** Whether the POST carries notifications and nothing else, which hold nothing open once answered (202). */
function onlyNotifications(messages: unknown[]): boolean {
  return messages.length > 0 && messages.every((message) => isJSONRPCNotification(message));
}

/** The request id a `notifications/cancelled` names, if the message is one that names one. */
function cancelledRequest(message: unknown): RequestId | undefined {
  return isSpecType.CancelledNotification(message) ? message.params.requestId : undefined;
}

/** The response, calling `done` once its body has been read to the end or its reader went away. */
function closedWhenDone(response: Response, done: () => void): Response {
  if (!response.body) {
    done();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (!ended) return controller.enqueue(value);
        controller.close();
      } catch (error) {
        controller.error(error);
      }
      done();
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
