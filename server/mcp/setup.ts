/** Builds the MCP layer for startServer: the catalogue, the per-user handlers, and what runs once the app listens. */
import type { AppDatabase } from '../../db/database.ts';
import type { ControlChannel } from '../cluster/control-channel.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { CatalogueService } from './catalogue.ts';
import { CatalogueStore } from './catalogue-store.ts';
import { HeldDefinitionsStore } from './held-definitions-store.ts';
import { followOrigin, followRelease, seedCatalogue } from './catalogue-seed.ts';
import { MCPHandlerManager } from './mcp-handler-manager.ts';
import { HTTP_CAP_VARIABLE, httpCapApplied } from './http-request-cap.ts';
import { TrustBoundary } from './trust-boundary.ts';

export interface McpSetup {
  catalogue: CatalogueService;
  manager: MCPHandlerManager;
  /** Seeds a new catalogue and points the internal server's entry at the origin now known. */
  appListening(): Promise<void>;
}

export function setUpMcp(deps: { config: Config; db: AppDatabase; log: Logger; origin: () => string; control: ControlChannel }): McpSetup {
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
  const catalogue = new CatalogueService({
    store: new CatalogueStore(db),
    held: new HeldDefinitionsStore(db),
    control,
    log,
    boundary: new TrustBoundary(config.mcp, origin),
  });
  const manager = new MCPHandlerManager({ db, catalogue, log, config: config.mcp, origin, control });
  return {
    catalogue,
    manager,
    async appListening() {
      if (config.mcp.seedCatalogue) await seedCatalogue(catalogue, origin(), log);
      await followOrigin(catalogue, origin(), log);
      await followRelease(catalogue, log);
    },
  };
}
