/**
 * Files of a built single-page app (the web chat in dist/client, the admin console in
 * dist/admin), looked up safely: a request path never leaves the folder, whatever dots or
 * encoded slashes it carries. And the headers both apps' pages and files are served with.
 */
import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';

/** Where `scripts/build-web.ts` writes the build. */
export const WEB_BUILD_DIR = resolve(import.meta.dir, '../../dist/client');

/** The file a URL path names inside `root`, or null when there is none (or the path tries to escape). */
export function fileIn(root: string, pathname: string): string | null {
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

/**
 * The app page's headers. Its Content-Security-Policy allows scripts and styles from this origin
 * only, so markup that slipped into a message could still not run.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // Tool cards show images and play audio from data: URLs (server/agent/tool-media.ts checks their types).
    "img-src 'self' data:",
    "media-src 'self' data:",
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

/** A file of the build; hashed assets never change, so browsers may keep them for good. */
export function fileResponse(path: string, immutable: boolean): Response {
  return new Response(Bun.file(path), {
    headers: {
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  });
}
