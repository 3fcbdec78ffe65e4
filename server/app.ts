/**
 * The HTTP application: one Elysia instance composed from one plugin per feature.
 * Each feature's routes live in its own folder; this file only assembles them.
 */
import { Elysia } from 'elysia';
import { adminRoutes } from './admin/routes.ts';
import { authRoutes } from './auth/routes.ts';
import type { Services } from './services.ts';
import { healthRoutes } from './health.ts';
import { trpcRoutes } from './trpc/routes.ts';
import { internalMcpRoutes } from './mcp-server/routes.ts';
import { webAppRoutes } from './web/routes.ts';

export function createApp(services: Services) {
  return new Elysia({ name: 'countersign' })
    .use(healthRoutes(services.db, () => services.lifecycle.stopping))
    .use(internalMcpRoutes(services))
    .use(authRoutes(services))
    .use(trpcRoutes(services))
    .use(adminRoutes(services))
    // Last: its GET wildcard answers only what no feature above claims.
    .use(webAppRoutes(services.auth));
}

export type App = ReturnType<typeof createApp>;
