/**
 * Builds this server's metrics and hands each part of the server the small hook it reports
 * through; server.ts wires them. METRICS_PORT starts its own listener here.
 */
import type { AppDatabase } from '../../db/database.ts';
import type { Config } from '../config.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { Logger } from '../log.ts';
import { countingRefusals, type RateLimiters } from '../trpc/rate-limit.ts';
import { countersignMetrics, type MetricSources } from './countersign-metrics.ts';
import { measureEventLoopLag } from './event-loop-lag.ts';
import { serveMetrics } from './listener.ts';
import { metricsRegistry } from './registry.ts';
import type { MetricsRoutesDeps } from './routes.ts';
import { countingRuns } from './run-observer.ts';
import { countWaitingApprovals } from './waiting-approvals.ts';
import { onCheckpointWrite, type TimedWrites } from '../../db/checkpointer/write-timing.ts';

export interface MetricsSetupDeps {
  config: Config['metrics'];
  db: AppDatabase;
  lifecycle: Lifecycle;
  log: Logger;
  /** Either checkpoint saver: it reports each write's time here. */
  checkpointer: TimedWrites;
  sources: Omit<MetricSources, 'waitingApprovals'>;
}

export function setUpMetrics({ config, db, lifecycle, log, checkpointer, sources }: MetricsSetupDeps) {
  const registry = metricsRegistry();
  const stopLag = measureEventLoopLag(registry);
  lifecycle.onShutdown('event-loop lag', stopLag);
  const metrics = countersignMetrics(registry, { ...sources, waitingApprovals: () => countWaitingApprovals(db) });
  onCheckpointWrite(checkpointer, (operation, seconds) => metrics.checkpointWrites.observe({ operation }, seconds));
  if (config.port !== undefined) {
    const listener = serveMetrics(registry, config.host, config.port);
    lifecycle.onShutdown('metrics listener', () => listener.stop());
    log.info('metrics listening', { url: `${listener.url}/metrics` });
  }
  const routes: MetricsRoutesDeps = { registry, token: config.token };
  return {
    routes,
    runObserver: countingRuns(metrics),
    /** The same limiters, each refusal counted by limit. */
    countingRefusals: (limiters: RateLimiters) =>
      countingRefusals(limiters, (limit) => metrics.rateLimitRefusals.inc({ limit: limit.name })),
    /** A socket opened; the function returned, that it closed. */
    countSocket: () => {
      metrics.websocketConnections.inc();
      return () => metrics.websocketConnections.dec();
    },
  };
}
