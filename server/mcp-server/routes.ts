/**
 * /mcp: the internal MCP server over Streamable HTTP, stateless (requests.ts), so behind a load
 * balancer any instance answers any request. Every request carries a token the backend signed for
 * one user (see user-token.ts); anything else gets 401. GET, POST and DELETE are registered one
 * by one, because a method-specific SPA fallback would beat an `.all()` route.
 */
import { originValidationResponse } from '@modelcontextprotocol/server';
import { Elysia } from 'elysia';
import type { ControlChannel } from '../cluster/control-channel.ts';
import type { Lifecycle } from '../lifecycle.ts';
import { callerAuth } from './caller.ts';
import type { NotesStore } from './notes-store.ts';
import { InternalMcpRequests, TooManyOpenRequests } from './requests.ts';
import { createInternalMcpServer } from './server.ts';

/** Where the built-in server listens on this server's own origin. */
export const INTERNAL_MCP_PATH = '/mcp';

function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { status, headers });
}

export interface InternalMcpRoutesDeps {
  notes: NotesStore;
  /** Checks the token the backend signed for a user (user-token.ts); the user's id, or undefined. */
  verifyToken: (token: string) => Promise<string | undefined>;
  lifecycle: Lifecycle;
  /** Carries a client's cancel to the instance running the call it names. */
  control: ControlChannel;
  /** This server's origin: a browser page from any other (a DNS-rebinding page, say) is refused. */
  origin: () => string;
}

export function internalMcpRoutes({ notes, verifyToken, lifecycle, control, origin }: InternalMcpRoutesDeps) {
  const requests = new InternalMcpRequests(() => createInternalMcpServer(notes), control);
  lifecycle.onShutdown('internal-mcp-requests', () => requests.closeAll());

  const handle = async (request: Request): Promise<Response> => {
    // The spec's MUST: a request a browser sends from another origin is refused before anything else (clients that send no Origin pass).
    const foreign = originValidationResponse(request, [new URL(origin()).hostname]);
    if (foreign) return foreign;
    const bearer = /^Bearer (\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const userId = bearer ? await verifyToken(bearer) : undefined;
    if (!bearer || !userId) {
      return jsonRpcError(401, 'Unauthorized: this server accepts only tokens issued by Countersign', {
        'WWW-Authenticate': 'Bearer realm="countersign-mcp"',
      });
    }
    // The spec's answers for a server with no standalone event stream (GET) and no sessions to end
    // (DELETE); clients take both in their stride.
    if (request.method !== 'POST') {
      return jsonRpcError(405, 'Method Not Allowed: this server is stateless; send each message as a POST', { Allow: 'POST' });
    }
    try {
      // Each request names its own caller: the tools read the user from it.
      return await requests.serve(userId, request, callerAuth(userId, bearer));
    } catch (error) {
      if (error instanceof TooManyOpenRequests) return jsonRpcError(429, `Too Many Requests: ${error.message}`);
      throw error;
    }
  };

  return new Elysia({ name: 'internal-mcp' })
    .get(INTERNAL_MCP_PATH, ({ request }) => handle(request))
    .post(INTERNAL_MCP_PATH, ({ request }) => handle(request))
    .delete(INTERNAL_MCP_PATH, ({ request }) => handle(request));
}
