/**
 * The HTTP application: one Elysia instance composed from one plugin per feature.
 * Each feature's routes live in its own folder; this file only assembles them, handing each
 * the dependencies it declares (server.ts builds them).
 */
import { Elysia } from 'elysia';
import type { AuthService } from './auth/auth-service.ts';
import { adminRoutes, type AdminRoutesDeps } from './admin/routes.ts';
import { authRoutes, type AuthRoutesDeps } from './auth/routes.ts';
import { filesRoutes, type FilesRoutesDeps } from './files/routes.ts';
import { type HealthDeps, healthRoutes } from './health.ts';
import { trpcRoutes, type TrpcRoutesDeps } from './trpc/routes.ts';
import { internalMcpRoutes, type InternalMcpRoutesDeps } from './mcp-server/routes.ts';
import { mcpOAuthRoutes, type McpOAuthRoutesDeps } from './mcp/oauth/routes.ts';
import { webAppRoutes } from './web/routes.ts';
import { carryRequestIds } from './logging/http-request-ids.ts';
import { metricsRoutes, type MetricsRoutesDeps } from './metrics/routes.ts';

export interface AppDeps {
  /** Liveness and readiness probes. */
  health: HealthDeps;
  internalMcp: InternalMcpRoutesDeps;
  auth: AuthRoutesDeps;
  /** People signing in to MCP servers behind OAuth. */
  mcpOAuth: McpOAuthRoutesDeps;
  trpc: TrpcRoutesDeps;
  admin: AdminRoutesDeps;
  /** Attached files, served to their chat's owner. */
  files: FilesRoutesDeps;
  /** GET /metrics for a scraper with the metrics token. */
  metrics: MetricsRoutesDeps;
  /** The web chat's pages check the session. */
  web: AuthService;
}

export function createApp(deps: AppDeps) {
  return (
    new Elysia({ name: 'countersign' })
      .use(healthRoutes(deps.health))
      .use(internalMcpRoutes(deps.internalMcp))
      .use(authRoutes(deps.auth))
      .use(mcpOAuthRoutes(deps.mcpOAuth))
      .use(trpcRoutes(deps.trpc))
      .use(adminRoutes(deps.admin))
      .use(filesRoutes(deps.files))
      .use(metricsRoutes(deps.metrics))
      // Last: its GET wildcard answers only what no feature above claims.
      .use(webAppRoutes(deps.web))
      // Every request gets an id its log lines carry and its response echoes (x-request-id).
      .wrap(carryRequestIds)
  );
}
