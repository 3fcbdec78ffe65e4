/**
 * Files of the built web chat (dist/client), looked up safely: a request path never leaves the
 * folder, whatever dots or encoded slashes it carries.
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
