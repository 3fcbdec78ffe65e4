/**
 * /mcp: the internal MCP server over Streamable HTTP. Every request carries a token the backend
 * signed for one user (see user-token.ts); anything else gets 401. GET, POST and DELETE are
 * registered one by one, because a method-specific SPA fallback would beat an `.all()` route.
 */
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Elysia } from 'elysia';
import type { Lifecycle } from '../lifecycle.ts';
import type { Logger } from '../log.ts';
import { callerAuth } from './caller.ts';
import type { NotesStore } from './notes-store.ts';
import { createInternalMcpServer } from './server.ts';
import { InternalMcpSessions } from './sessions.ts';

/** Where the built-in server listens on this server's own origin. */
export const INTERNAL_MCP_PATH = '/mcp';

/** An initialize request is small; anything bigger without a session is not one. */
const MAX_INITIALIZE_BYTES = 64 * 1024;

function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { status, headers });
}

async function readBoundedJson(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes || !request.body) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

export interface InternalMcpRoutesDeps {
  notes: NotesStore;
  /** Checks the token the backend signed for a user (user-token.ts); the user's id, or undefined. */
  verifyToken: (token: string) => Promise<string | undefined>;
  log: Logger;
  lifecycle: Lifecycle;
}

export function internalMcpRoutes({ notes, verifyToken, log, lifecycle }: InternalMcpRoutesDeps) {
  const sessions = new InternalMcpSessions(() => createInternalMcpServer(notes), log.child({ component: 'internal-mcp' }));
  lifecycle.onShutdown('internal-mcp-sessions', () => sessions.closeAll());

  const handle = async (request: Request): Promise<Response> => {
    const bearer = /^Bearer (\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const userId = bearer ? await verifyToken(bearer) : undefined;
    if (!bearer || !userId) {
      return jsonRpcError(401, 'Unauthorized: this server accepts only tokens issued by Countersign', {
        'WWW-Authenticate': 'Bearer realm="countersign-mcp"',
      });
    }
    // Each request names its own caller: the tools read the user from it, not from the session.
    const authInfo = callerAuth(userId, bearer);
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = sessions.find(sessionId, userId);
      // 404 tells a client its session is gone and it should initialize again.
      if (!session) return jsonRpcError(404, 'Session not found');
      return session.transport.handleRequest(request, { authInfo });
    }
    if (request.method !== 'POST') return jsonRpcError(400, 'Bad Request: Mcp-Session-Id header is required');
    const body = await readBoundedJson(request, MAX_INITIALIZE_BYTES);
    if (!isInitializeRequest(body)) return jsonRpcError(400, 'Bad Request: No valid session ID provided');
    return sessions.open(userId, request, body, authInfo);
  };

  return new Elysia({ name: 'internal-mcp' })
    .get(INTERNAL_MCP_PATH, ({ request }) => handle(request))
    .post(INTERNAL_MCP_PATH, ({ request }) => handle(request))
    .delete(INTERNAL_MCP_PATH, ({ request }) => handle(request));
}
