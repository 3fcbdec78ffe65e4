/**
 * Stateful MCP sessions of the internal server for clients that come over HTTP: one transport
 * and one server per session, tied to the user whose token opened it. Stateful, because progress
 * notifications reach a client only over a session's SSE streams.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Logger } from '../log.ts';

interface Session {
  userId: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
}

/**
 * Each user's handler holds one session; more mean sessions a crashed or restarted client left
 * behind. Past this many the oldest is closed, which bounds what one user can hold open.
 */
const MAX_SESSIONS_PER_USER = 4;
/** Under Bun's 10 s idle timeout, so an SSE stream with nothing to say is not cut off. */
const KEEP_ALIVE_MS = 5_000;

export class InternalMcpSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #byUser = new Map<string, Set<string>>();

  constructor(
    private readonly createServer: () => McpServer,
    private readonly log: Logger,
  ) {}

  /** The session, only for the user it belongs to: another user's session id reads as unknown. */
  find(sessionId: string, userId: string): Session | undefined {
    const session = this.#sessions.get(sessionId);
    return session?.userId === userId ? session : undefined;
  }

  /** Answers an `initialize` request with a new session; `authInfo` names the user, as on every request after it. */
  async open(userId: string, request: Request, initialize: unknown, authInfo: AuthInfo): Promise<Response> {
    const server = this.createServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      keepAliveMs: KEEP_ALIVE_MS,
      onsessioninitialized: (sessionId) => this.#add(sessionId, { userId, transport, server }),
      onsessionclosed: (sessionId) => this.#remove(sessionId),
    });
    transport.onclose = () => {
      if (transport.sessionId) this.#remove(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody: initialize, authInfo });
  }

  async closeAll(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    await Promise.all(sessions.map((s) => s.server.close().catch(() => {})));
    this.#sessions.clear();
    this.#byUser.clear();
  }

  #add(sessionId: string, session: Session): void {
    this.#sessions.set(sessionId, session);
    const ids = this.#byUser.get(session.userId) ?? new Set<string>();
    this.#byUser.set(session.userId, ids);
    ids.add(sessionId);
    if (ids.size > MAX_SESSIONS_PER_USER) {
      const oldest = ids.values().next().value!;
      this.log.debug('closing a stale internal mcp session', { userId: session.userId, sessionId: oldest });
      const stale = this.#sessions.get(oldest);
      this.#remove(oldest);
      void stale?.server.close().catch(() => {});
    }
  }

  #remove(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    const ids = this.#byUser.get(session.userId);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.#byUser.delete(session.userId);
    // Closing from onsessionclosed would re-enter close(); the transport is already closing then.
    void session.server.close().catch(() => {});
  }
}
