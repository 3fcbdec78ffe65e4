/**
 * Builds the web chat (client/) into dist/client when it is missing or out of date; `--force`
 * builds anyway. `npm start` runs it before the server; browser tests call `ensureWebBuilt()`.
 */
import { ensureSpaBuilt, runSpaBuild, type SpaBuild } from './build-spa.ts';

const web: SpaBuild = {
  name: 'web chat',
  config: 'client/vite.config.ts',
  out: 'dist/client',
  // The client's own files, the shared types it imports, and the exact versions of its dependencies.
  sources: ['client', 'shared', 'package-lock.json'],
};

export const ensureWebBuilt = (options: { force?: boolean } = {}) => ensureSpaBuilt(web, options);

if (import.meta.main) await runSpaBuild(web);
