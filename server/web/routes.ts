/**
 * Serves the web chat built into dist/client: hashed assets under /assets (cached for good),
 * the other files of the build, and index.html for every other GET that asks for a page (the
 * app's own routes, such as /c/<chat>), after a session check that sends signed-out people to
 * sign-in and back. The page's Content-Security-Policy allows scripts and styles from this
 * origin only, so markup that slipped into a message could still not run.
 *
 * Registered last, with a GET wildcard: the API's routes are registered per method elsewhere
 * and stay more specific, and the wildcard answers 404 for their prefixes should anything slip
 * through, never the chat page.
 */
import { Elysia } from 'elysia';
import type { AuthService } from '../auth/auth-service.ts';
import { htmlResponse } from '../auth/html.ts';
import { requireSignInRedirect } from '../auth/page-guard.ts';
import { fileIn, fileResponse, PAGE_HEADERS, WEB_BUILD_DIR } from './static-files.ts';

/** Paths the web chat never answers for: other features own them. */
const RESERVED = /^\/(?:trpc|auth|graphql|mcp|healthz|readyz|files|demo-llm|admin)(?:\/|$)/;

export interface WebAppOptions {
  /** The built client; tests may point elsewhere. */
  root?: string;
}

export function webAppRoutes(auth: AuthService, options: WebAppOptions = {}) {
  const root = options.root ?? WEB_BUILD_DIR;

  const page = async (request: Request): Promise<Response> => {
    const user = await requireSignInRedirect(auth, request);
    if (user instanceof Response) return user;
    const index = fileIn(root, '/index.html');
    if (!index) {
      return htmlResponse(
        503,
        'The web chat is not built',
        '<p>Run <code>npm start</code>, which builds it, or <code>bun scripts/build-web.ts</code>.</p>',
      );
    }
    return new Response(Bun.file(index), { headers: PAGE_HEADERS });
  };

  return new Elysia({ name: 'web-app' })
    .get('/', ({ request }) => page(request))
    .get('/assets/*', ({ request, status }) => {
      const path = fileIn(root, new URL(request.url).pathname);
      return path ? fileResponse(path, true) : status(404, 'Not found');
    })
    .get('/*', ({ request, status }) => {
      const { pathname } = new URL(request.url);
      if (RESERVED.test(pathname)) return status(404, 'Not found');
      const path = pathname === '/index.html' ? null : fileIn(root, pathname);
      if (path) return fileResponse(path, false);
      if (!(request.headers.get('accept') ?? '').includes('text/html')) return status(404, 'Not found');
      return page(request);
    });
}
