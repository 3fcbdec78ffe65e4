/**
 * Builds the admin console (admin/) into dist/admin when it is missing or out of date; `--force`
 * builds anyway. `npm start` runs it before the server; the console's browser tests call
 * `ensureAdminBuilt()`.
 */
import { ensureSpaBuilt, runSpaBuild, type SpaBuild } from './build-spa.ts';

const admin: SpaBuild = {
  name: 'admin console',
  config: 'admin/vite.config.ts',
  out: 'dist/admin',
  // The console's own files, the schema its client is typed from, the design tokens and message catalogue it shares with
  // the chat, and the exact dependency versions.
  sources: ['admin', 'server/admin/sdl', 'shared', 'package-lock.json'],
};

export const ensureAdminBuilt = (options: { force?: boolean } = {}) => ensureSpaBuilt(admin, options);

if (import.meta.main) await runSpaBuild(admin);
