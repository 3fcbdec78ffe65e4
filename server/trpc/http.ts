/**
 * tRPC over HTTP at /trpc. GET and POST are registered explicitly: a method-specific wildcard
 * elsewhere (the web app's fallback) would otherwise win over `.all()`. Subscriptions are served
 * over the WebSocket only, where a socket's session is watched and its subscriptions are counted.
 */
import type { AnyTRPCRouter } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { Elysia } from 'elysia';
import type { Logger } from '../log.ts';
import type { CallIntake } from './call-intake.ts';
import { contextFor, type Authenticate } from './context.ts';
import { logUnexpectedFailures } from './procedure-failures.ts';

export const TRPC_PATH = '/trpc';

/** The procedure paths a request to /trpc names (several, comma-separated, in a batch), decoded as tRPC decodes them. */
function pathsOf(url: URL): string[] {
  const encoded = url.pathname.slice(TRPC_PATH.length + 1);
  try {
    return decodeURIComponent(encoded).split(',');
  } catch {
    return encoded.split(','); // malformed escapes: tRPC refuses the request itself
  }
}

/**
 * A refusal answered before tRPC runs, in the shape tRPC clients read (one error per call of a
 * batch), so that the typed client and the web chat show its message.
 */
export function trpcRefusal(request: Request, status: number, code: TRPC_ERROR_CODE_KEY, message: string): Response {
  const url = new URL(request.url);
  const paths = pathsOf(url);
  const error = (path: string | undefined) => ({ error: refusalShape(status, code, message, path) });
  return Response.json(url.searchParams.get('batch') === '1' ? paths.map(error) : error(paths[0]), { status });
}

/** The error a tRPC client reads from a refusal, over HTTP or WebSocket. */
export function refusalShape(status: number, code: TRPC_ERROR_CODE_KEY, message: string, path: string | undefined) {
  return { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status, path } };
}

/** The request-body limit's refusal (request-body-limit.ts) for calls to /trpc; undefined for other paths. */
export function trpcPayloadTooLarge(request: Request, message: string): Response | undefined {
  if (!new URL(request.url).pathname.startsWith(`${TRPC_PATH}/`)) return undefined;
  return trpcRefusal(request, 413, 'PAYLOAD_TOO_LARGE', message);
}

/**
 * `acceptsForm` names the requests that may send multipart form data instead (a file's upload),
 * which must come from the app's own pages or from a program, never from another site's form.
 */
export function trpcHttpRoutes(
  router: AnyTRPCRouter,
  authenticate: Authenticate,
  log: Logger,
  intake: CallIntake,
  acceptsForm: (request: Request) => boolean = () => false,
) {
  const subscriptions = new Set(
    Object.entries(router._def.procedures as Record<string, { _def: { type: string } }>)
      .filter(([, procedure]) => procedure._def.type === 'subscription')
      .map(([path]) => path),
  );
  const serve = (request: Request) =>
    fetchRequestHandler({
      endpoint: TRPC_PATH,
      req: request,
      router,
      createContext: () => contextFor(authenticate, request, request.signal),
      onError: logUnexpectedFailures(log),
    });
  // Requests wait for their turn (call-intake.ts) in a lane per caller, named by the credentials they carry.
  const handle = async (request: Request) => {
    const turn = Promise.withResolvers<void>();
    const caller = request.headers.get('authorization') ?? request.headers.get('cookie') ?? '';
    const size = request.url.length + (Number(request.headers.get('content-length')) || 0);
    if (!intake.enqueue(caller, turn.resolve, size)) {
      return trpcRefusal(request, 429, 'TOO_MANY_REQUESTS', 'Too many calls are waiting: wait for their answers before sending more.');
    }
    await turn.promise;
    return serve(request);
  };
  return (
    new Elysia({ name: 'trpc-http' })
      .get(`${TRPC_PATH}/*`, ({ request }) => {
        if (pathsOf(new URL(request.url)).some((path) => subscriptions.has(path))) {
          return trpcRefusal(
            request,
            405,
            'METHOD_NOT_SUPPORTED',
            'Subscriptions are served over the WebSocket at /trpc, not over HTTP; the typed client opens it for you.',
          );
        }
        return handle(request);
      })
      // Only JSON bodies: a cross-site HTML form can send text/plain or form data, never application/json.
      .post(`${TRPC_PATH}/*`, ({ request }) => {
        const type = request.headers.get('content-type') ?? '';
        const form = /^multipart\/form-data\b/i.test(type) && acceptsForm(request);
        if (!form && !/^application\/json\b/i.test(type)) {
          return trpcRefusal(
            request,
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            `Mutations need Content-Type: application/json (got ${type || 'none'}).`,
          );
        }
        return handle(request);
      })
  );
}
