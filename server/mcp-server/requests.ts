/**
 * The internal server's HTTP requests, served statelessly: each POST gets a server and a transport
 * of its own (the SDK's stateless Streamable HTTP, no session id), and both are closed when its
 * response ends or its client goes away. Nothing outlives a request, so any instance behind a
 * load balancer serves any request of any client, and an outside client holds state only while
 * its requests are open. A tools/call still reports progress: the SDK writes notifications related
 * to a request on that POST's own SSE response.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';

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

  constructor(private readonly createServer: () => McpServer) {}

  /** Answers one POST; `authInfo` names the caller the tools act for. */
  async serve(userId: string, request: Request, authInfo: AuthInfo): Promise<Response> {
    const open = this.#openByUser.get(userId) ?? 0;
    if (open >= MAX_OPEN_REQUESTS_PER_USER) {
      throw new TooManyOpenRequests(`this user already has ${open} requests open; wait for one to finish`);
    }
    this.#openByUser.set(userId, open + 1);
    const server = this.createServer();
    this.#servers.add(server);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.#servers.delete(server);
      const left = (this.#openByUser.get(userId) ?? 1) - 1;
      if (left > 0) this.#openByUser.set(userId, left);
      else this.#openByUser.delete(userId);
      // Aborts a tool still running: with no session there is nowhere left to send its result.
      void server.close().catch(() => {});
    };
    try {
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, keepAliveMs: KEEP_ALIVE_MS });
      await server.connect(transport);
      return closedWhenDone(await transport.handleRequest(request, { authInfo }), close);
    } catch (error) {
      close();
      throw error;
    }
  }

  /** Ends every open request, so a shutdown does not wait for a long tool call. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#servers].map((server) => server.close().catch(() => {})));
  }
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
