/**
 * Serves the admin console built into dist/admin at /admin: hashed assets as files, and the page
 * for every other path under /admin, to admins only. Signed-out people go to sign-in and come
 * back; signed-in non-admins get a plain 403 page.
 */
import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import { Elysia } from 'elysia';
import type { AuthService } from '../auth/auth-service.ts';
import { escapeHtml, htmlResponse } from '../auth/html.ts';
import { requireSignInRedirect } from '../auth/page-guard.ts';

/** Where `npm run build:admin` writes the console. */
const ADMIN_BUILD_DIR = resolve(import.meta.dir, '../../dist/admin');

const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/** The file a URL path names inside `root`, or null (also when the path tries to leave it). */
function fileIn(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = join(root, normalize(decoded));
  if (!path.startsWith(root + sep)) return null;
  return existsSync(path) && statSync(path).isFile() ? path : null;
}

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
    if (!index) return htmlResponse(503, 'The admin console is not built', '<p>Run <code>npm run build:admin</code> (<code>npm start</code> does it).</p>');
    return new Response(Bun.file(index), { headers: PAGE_HEADERS });
  };

  const file = (path: string, immutable: boolean) =>
    new Response(Bun.file(path), {
      headers: { 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache', 'x-content-type-options': 'nosniff' },
    });

  return new Elysia({ name: 'admin-console' })
    .get('/admin', ({ request }) => page(request))
    .get('/admin/*', ({ request }) => {
      const rest = new URL(request.url).pathname.slice('/admin'.length);
      const path = rest === '/index.html' ? null : fileIn(root, rest);
      if (path) return file(path, rest.startsWith('/assets/'));
      return page(request);
    });
}
