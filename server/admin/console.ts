/**
 * Serves the admin console built into dist/admin at /admin: hashed assets as files, and the page
 * for every other path under /admin, to admins only. Signed-out people go to sign-in and come
 * back; signed-in non-admins get a plain 403 page.
 */
import { resolve } from 'node:path';
import { Elysia } from 'elysia';
import type { AuthService } from '../auth/auth-service.ts';
import { escapeHtml, htmlResponse } from '../auth/html.ts';
import { requireSignInRedirect } from '../auth/page-guard.ts';
import { fileIn, fileResponse, PAGE_HEADERS } from '../web/static-files.ts';

/** Where `npm run build:admin` writes the console. */
const ADMIN_BUILD_DIR = resolve(import.meta.dir, '../../dist/admin');

export function adminConsoleRoutes(auth: AuthService, root: string = ADMIN_BUILD_DIR) {
  const page = async (request: Request): Promise<Response> => {
    const user = await requireSignInRedirect(auth, request);
    if (user instanceof Response) return user;
    if (user.role !== 'admin') {
      const who = escapeHtml(user.name ?? user.email ?? user.id);
      return htmlResponse(
        403,
        'Admins only',
        `<p>You are signed in as <strong>${who}</strong>, who does not have the admin role. Ask an admin if you need it.</p><p><a href="/">Back to the chat</a></p>`,
      );
    }
    const index = fileIn(root, '/index.html');
    if (!index)
      return htmlResponse(
        503,
        'The admin console is not built',
        '<p>Run <code>npm run build:admin</code> (<code>npm start</code> does it).</p>',
      );
    return new Response(Bun.file(index), { headers: PAGE_HEADERS });
  };

  return new Elysia({ name: 'admin-console' })
    .get('/admin', ({ request }) => page(request))
    .get('/admin/*', ({ request }) => {
      const rest = new URL(request.url).pathname.slice('/admin'.length);
      const path = rest === '/index.html' ? null : fileIn(root, rest);
      if (path) return fileResponse(path, rest.startsWith('/assets/'));
      return page(request);
    });
}
