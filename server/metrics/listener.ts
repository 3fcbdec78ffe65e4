/**
 * METRICS_PORT: a listener of its own serving GET /metrics without a token, for a scraper that
 * reaches an address nobody else does (METRICS_HOST, loopback by default). It serves nothing else.
 */
import type { Registry } from 'prom-client';
import { scrape } from './scrape.ts';

export interface MetricsListener {
  readonly url: string;
  stop(): Promise<void>;
}

export function serveMetrics(registry: Registry, host: string, port: number): MetricsListener {
  const server = Bun.serve({
    hostname: host,
    port,
    fetch(request) {
      if (request.method === 'GET' && new URL(request.url).pathname === '/metrics') return scrape(registry);
      return new Response('Not found: this listener serves GET /metrics only.', { status: 404 });
    },
  });
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`,
    stop: () => server.stop(),
  };
}
