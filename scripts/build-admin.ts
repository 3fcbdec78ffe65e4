/**
 * Builds the admin console (admin/) into dist/admin with Vite, when the build is missing or older
 * than its sources; `--force` builds anyway. `npm start` runs it before the server, and the
 * console's browser tests call `ensureAdminBuilt()` first. Like scripts/build-web.ts, Vite writes
 * into a fresh folder that replaces dist/admin in one rename, so a running server never serves
 * half a build.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dir, '..');
const out = join(repo, 'dist/admin');
/** The console's own files, the schema its client is typed from, and the exact dependency versions. */
const sources = [join(repo, 'admin'), join(repo, 'server/admin/sdl'), join(repo, 'package-lock.json')];

export async function ensureAdminBuilt(options: { force?: boolean } = {}): Promise<'built' | 'up to date'> {
  if (!options.force && builtAt() > newestSource()) return 'up to date';
  const staging = `${out}.building-${process.pid}`;
  const vite = Bun.spawn(
    [process.execPath, '--bun', join(repo, 'node_modules/.bin/vite'), 'build', '--config', join(repo, 'admin/vite.config.ts'), '--outDir', staging, '--logLevel', 'warn'],
    { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if ((await vite.exited) !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error('Building the admin console failed (see Vite output above).');
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
    const result = await ensureAdminBuilt({ force: process.argv.includes('--force') });
    console.log(`admin console: ${result} (dist/admin)`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
