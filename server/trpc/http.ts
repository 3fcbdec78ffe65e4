/**
 * tRPC over HTTP at /trpc. GET and POST are registered explicitly: a method-specific wildcard
 * elsewhere (the web app's fallback) would otherwise win over `.all()`.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Elysia } from 'elysia';
import type { Logger } from '../log.ts';
import { contextFor, type Authenticate } from './context.ts';
import type { AnyTRPCRouter } from '@trpc/server';

export const TRPC_PATH = '/trpc';

export function trpcHttpRoutes(router: AnyTRPCRouter, authenticate: Authenticate, log: Logger) {
  const handle = (request: Request) =>
    fetchRequestHandler({
      endpoint: TRPC_PATH,
      req: request,
      router,
      createContext: () => contextFor(authenticate, request, request.signal),
      onError({ error, path, ctx }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          log.error('procedure failed', { path, errorId: ctx?.requestId, userId: ctx?.user?.id, error: error.cause ?? error });
        }
      },
    });
  return (
    new Elysia({ name: 'trpc-http' })
      .get(`${TRPC_PATH}/*`, ({ request }) => handle(request))
      // Only JSON bodies: a cross-site HTML form can send text/plain or form data, never application/json.
      .post(`${TRPC_PATH}/*`, ({ request, status }) => {
        const type = request.headers.get('content-type') ?? '';
        if (!/^application\/json\b/i.test(type)) {
          return status(415, {
            error: { message: `Mutations need Content-Type: application/json (got ${type || 'none'}).` },
          });
        }
        return handle(request);
      })
  );
}
