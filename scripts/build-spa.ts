/**
 * Builds a single-page app with Vite when its build is missing or older than its sources.
 * Vite writes into a fresh folder that then replaces the build in one rename, so a server
 * already running never serves half a build. Used by build-web.ts and build-admin.ts.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repo = resolve(import.meta.dir, '..');

export interface SpaBuild {
  /** For messages: "web chat", "admin console". */
  name: string;
  /** The Vite config, relative to the repository. */
  config: string;
  /** The build folder, relative to the repository. */
  out: string;
  /** What the bundle is made of, relative to the repository: newer files mean a rebuild. */
  sources: string[];
}

export async function ensureSpaBuilt(build: SpaBuild, options: { force?: boolean } = {}): Promise<'built' | 'up to date'> {
  const out = join(repo, build.out);
  if (!options.force && builtAt(out) > newestSource(build.sources.map((s) => join(repo, s)))) return 'up to date';
  const staging = `${out}.building-${process.pid}`;
  const vite = Bun.spawn(
    [
      process.execPath,
      '--bun',
      join(repo, 'node_modules/.bin/vite'),
      'build',
      '--config',
      join(repo, build.config),
      '--outDir',
      staging,
      '--logLevel',
      'warn',
    ],
    { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if ((await vite.exited) !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Building the ${build.name} failed (see Vite output above).`);
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  return 'built';
}

/** The command-line entry of a build script: `--force` builds anyway. */
export async function runSpaBuild(build: SpaBuild): Promise<void> {
  try {
    const result = await ensureSpaBuilt(build, { force: process.argv.includes('--force') });
    console.log(`${build.name}: ${result} (${build.out})`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

function builtAt(out: string): number {
  const index = join(out, 'index.html');
  return existsSync(index) ? statSync(index).mtimeMs : 0;
}

function newestSource(paths: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) if (existsSync(path)) visit(path);
  return newest;
}
