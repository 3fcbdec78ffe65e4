/**
 * Builds the web chat (client/) into dist/client with Vite, when the build is missing or older
 * than its sources; `--force` builds anyway. `npm start` runs it before the server, and browser
 * tests call `ensureWebBuilt()` once before they start.
 *
 * Vite writes into a fresh folder that then replaces dist/client in one rename, so a server
 * already running never serves half a build.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dir, '..');
const out = join(repo, 'dist/client');
/** What the bundle is made of: the client's own files and the exact versions of its dependencies. */
const sources = [join(repo, 'client'), join(repo, 'package-lock.json')];

export async function ensureWebBuilt(options: { force?: boolean } = {}): Promise<'built' | 'up to date'> {
  if (!options.force && builtAt() > newestSource()) return 'up to date';
  const staging = `${out}.building-${process.pid}`;
  const vite = Bun.spawn(
    [process.execPath, '--bun', join(repo, 'node_modules/.bin/vite'), 'build', '--config', join(repo, 'client/vite.config.ts'), '--outDir', staging, '--logLevel', 'warn'],
    { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if ((await vite.exited) !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error('Building the web chat failed (see Vite output above).');
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  return 'built';
}

function builtAt(): number {
  const index = join(out, 'index.html');
  return existsSync(index) ? statSync(index).mtimeMs : 0;
}

function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of sources) if (existsSync(path)) visit(path);
  return newest;
}

if (import.meta.main) {
  try {
    const result = await ensureWebBuilt({ force: process.argv.includes('--force') });
    console.log(`web chat: ${result} (dist/client)`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
