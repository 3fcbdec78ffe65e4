/**
 * Builds the typed client package: JavaScript for Node and Bun (dependencies left external) and
 * declaration files, into dist/typed-client. package.json `exports["./client"]` points here.
 */
import { rmSync } from 'node:fs';

const out = 'dist/typed-client';
rmSync(out, { recursive: true, force: true });
const built = await Bun.build({ entrypoints: ['shared/client.ts'], outdir: out, target: 'node', packages: 'external', format: 'esm' });
if (!built.success) {
  for (const log of built.logs) console.error(log);
  process.exit(1);
}
const tsc = Bun.spawnSync(['node_modules/.bin/tsc', '-p', 'tsconfig.client.json'], { stdio: ['inherit', 'inherit', 'inherit'] });
process.exit(tsc.exitCode ?? 1);
