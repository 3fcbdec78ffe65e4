/** Builds the MCP layer for startServer: the catalogue, the per-user handlers, and what runs once the app listens. */
import type { AppDatabase } from '../../db/database.ts';
import type { ControlChannel } from '../cluster/control-channel.ts';
import type { Config } from '../config.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Logger } from '../log.ts';
import { CatalogueService } from './catalogue.ts';
import { CatalogueStore } from './catalogue-store.ts';
import { HeldDefinitionsStore } from './held-definitions-store.ts';
import { followOrigin, followRelease, seedCatalogue } from './catalogue-seed.ts';
import { MCPHandlerManager } from './mcp-handler-manager.ts';
import { type ChosenRoots, PersonRoots } from './person-roots.ts';
import type { OnBehalfOfSource } from './oauth/on-behalf-of-auth.ts';
import type { ServerAuth } from './oauth/server-auth.ts';
import { createServerAuth } from './oauth/setup.ts';
import { HTTP_CAP_VARIABLE, httpCapApplied } from './http-request-cap.ts';
import { TrustBoundary } from './trust-boundary.ts';

export interface McpSetup {
  catalogue: CatalogueService;
  manager: MCPHandlerManager;
  /** How connections prove who is calling; the sign-in routes and admin tests use it too. */
  auth: ServerAuth;
  /** Seeds a new catalogue and points the internal server's entry at the origin now known. */
  appListening(): Promise<void>;
}

export interface McpSetupDeps {
  config: Config;
  db: AppDatabase;
  log: Logger;
  origin: () => string;
  control: ControlChannel;
  /** Seals people's MCP tokens and admins' client secrets. */
  cipher: TokenCipher;
  /** People's sign-ins, exchanged for servers in on-behalf-of mode. */
  onBehalfOf: OnBehalfOfSource;
  /** The roots people chose for servers in their chats (the chats' own store). */
  chosenRoots: ChosenRoots;
}

export function setUpMcp(deps: McpSetupDeps): McpSetup {
  const { config, db, origin, control } = deps;
  const log = deps.log.child({ component: 'mcp' });
  if (!httpCapApplied(config.mcp.maxHttpRequests)) {
    log.warn(
      `${HTTP_CAP_VARIABLE} is not ${config.mcp.maxHttpRequests} in this process: outgoing HTTP requests stay capped at Bun's default 256`,
      {
        [HTTP_CAP_VARIABLE]: process.env[HTTP_CAP_VARIABLE],
      },
    );
  }
  const auth = createServerAuth({ db, cipher: deps.cipher, origin, env: config.env, onBehalfOf: deps.onBehalfOf });
  const catalogue = new CatalogueService({
    credentials: auth,
    store: new CatalogueStore(db),
    held: new HeldDefinitionsStore(db),
    control,
    log,
    boundary: new TrustBoundary(config.mcp, origin),
  });
  const roots = new PersonRoots({ catalogue, chosen: deps.chosenRoots });
  const manager = new MCPHandlerManager({ db, catalogue, log, config: config.mcp, origin, control, auth, roots });
  return {
    catalogue,
    manager,
    auth,
    async appListening() {
      if (config.mcp.seedCatalogue) await seedCatalogue(catalogue, origin(), log);
      await followOrigin(catalogue, origin(), log);
      await followRelease(catalogue, log);
    },
  };
}
