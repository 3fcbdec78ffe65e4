/**
 * The internal server's HTTP requests, served statelessly: each POST gets a server and a transport
 * of its own (the SDK's stateless Streamable HTTP, no session id), and both are closed when its
 * response ends or its client goes away. Nothing outlives a request, so any instance behind a
 * load balancer serves any request of any client, and an outside client holds state only while
 * its requests are open. A tools/call still reports progress: the SDK writes notifications related
 * to a request on that POST's own SSE response.
 *
 * A client cancels a call with `notifications/cancelled`, a POST of its own that reaches a fresh
 * server, maybe on another instance: the call is found by caller and request id among those running
 * here (calls-in-flight.ts), or the cancel goes over the control channel to the instance running it.
 * A cancelled call is closed as if its client had gone away.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CancelledNotificationSchema,
  isJSONRPCNotification,
  isJSONRPCRequest,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
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
  readonly #servers = new Set<McpServer>();
  readonly #calls = new CallsInFlight();
  readonly #stopHearingCancels: () => void;

  constructor(
    private readonly createServer: () => McpServer,
    private readonly control: ControlChannel,
  ) {
    this.#stopHearingCancels = control.on(cancelCall, ({ userId, requestId }) => this.#calls.stop(userId, requestId));
  }

  /** Answers one POST; `authInfo` names the caller the tools act for. */
  async serve(userId: string, request: Request, authInfo: AuthInfo): Promise<Response> {
    const open = this.#openByUser.get(userId) ?? 0;
    // A cancel still gets through: it is what frees a request, and it is answered at once.
    if (open >= MAX_OPEN_REQUESTS_PER_USER && !(await onlyNotifications(request))) {
      throw new TooManyOpenRequests(`this user already has ${open} requests open; wait for one to finish`);
    }
    // Read again: others may have opened or closed while the body was read.
    this.#openByUser.set(userId, (this.#openByUser.get(userId) ?? 0) + 1);
    const server = this.createServer();
    this.#servers.add(server);
    let closed = false;
    const forgetCalls: (() => void)[] = [];
    const close = () => {
      if (closed) return;
      closed = true;
      this.#servers.delete(server);
      for (const forget of forgetCalls) forget();
      const left = (this.#openByUser.get(userId) ?? 1) - 1;
      if (left > 0) this.#openByUser.set(userId, left);
      else this.#openByUser.delete(userId);
      // Aborts a tool still running: with no session there is nowhere left to send its result.
      void server.close().catch(() => {});
    };
    try {
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, keepAliveMs: KEEP_ALIVE_MS });
      const cancels: Promise<void>[] = [];
      // Set before connecting: the SDK's server handles each message after this has seen it.
      transport.onmessage = (message) => {
        if (isJSONRPCRequest(message)) forgetCalls.push(this.#calls.add(userId, message.id, close));
        const requestId = cancelledRequest(message);
        if (requestId !== undefined) cancels.push(this.#cancel(userId, requestId));
      };
      await server.connect(transport);
      const response = await transport.handleRequest(request, { authInfo });
      // Answered once the call is stopped or every instance has been told: a cancel that could not be passed on is an error.
      await Promise.all(cancels);
      return closedWhenDone(response, close);
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
    await Promise.all([...this.#servers].map((server) => server.close().catch(() => {})));
  }
}

/** Whether the POST carries nothing but notifications, which hold nothing open once answered (202). */
async function onlyNotifications(request: Request): Promise<boolean> {
  const body: unknown = await request
    .clone()
    .json()
    .catch(() => undefined);
  return (Array.isArray(body) ? body : [body]).every((message) => isJSONRPCNotification(message));
}

/** The request id a `notifications/cancelled` names, if the message is one that names one. */
function cancelledRequest(message: JSONRPCMessage): RequestId | undefined {
  const cancelled = CancelledNotificationSchema.safeParse(message);
  return cancelled.success ? cancelled.data.params.requestId : undefined;
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
