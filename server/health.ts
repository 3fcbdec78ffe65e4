/**
 * Probes for load balancers and orchestrators. `/healthz` is liveness: the process answers, 200
 * until shutdown starts, and nothing else, so a database or model outage never gets a healthy
 * process restarted (a liveness failure means "restart me"). `/readyz` is readiness: whether this
 * instance should get new work now (readiness/readiness.ts), with each check's result, so a
 * balancer stops sending while it is unready and starts again once it is ready.
 */
import { Elysia } from 'elysia';
import type { Readiness } from './readiness/readiness.ts';

export interface HealthDeps {
  readiness: Readiness;
  stopping: () => boolean;
}

export function healthRoutes({ readiness, stopping }: HealthDeps) {
  return new Elysia({ name: 'health' })
    .get('/healthz', ({ set }) => {
      set.headers['cache-control'] = 'no-store';
      if (stopping()) {
        set.status = 503;
        return { status: 'stopping' };
      }
      return { status: 'ok' };
    })
    .get('/readyz', async ({ set }) => {
      const { ready, checks } = await readiness.report();
      set.status = ready ? 200 : 503;
      set.headers['cache-control'] = 'no-store';
      return { status: ready ? 'ready' : 'unready', checks };
    });
}
