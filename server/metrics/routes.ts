/**
 * GET /metrics on the main port, for a scraper holding METRICS_TOKEN as a bearer token (compared
 * in constant time). Without a token configured there is nothing here (404): metrics are then off,
 * or served on their own listener (listener.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Elysia } from 'elysia';
import type { Registry } from 'prom-client';
import { scrape } from './scrape.ts';

export interface MetricsRoutesDeps {
  registry: Registry;
  /** METRICS_TOKEN; undefined: /metrics is not served on this port. */
  token: string | undefined;
}

export function metricsRoutes({ registry, token }: MetricsRoutesDeps) {
  return new Elysia({ name: 'metrics' }).get('/metrics', ({ request }) => {
    if (token === undefined) {
      return new Response('Not found: metrics are not served on this port (see METRICS_TOKEN and METRICS_PORT).', { status: 404 });
    }
    if (!bearerMatches(request.headers.get('authorization'), token)) {
      return new Response('Metrics need an Authorization: Bearer header with the METRICS_TOKEN setting.', {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="metrics"' },
      });
    }
    return scrape(registry);
  });
}

/** Hashed first, so that the comparison takes as long whatever the lengths. */
function bearerMatches(header: string | null, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}
