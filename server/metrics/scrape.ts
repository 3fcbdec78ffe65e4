/** One scrape: every metric of the registry in Prometheus text format, never cached on the way. */
import type { Registry } from 'prom-client';

export async function scrape(registry: Registry): Promise<Response> {
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}
