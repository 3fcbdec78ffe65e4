/**
 * One Prometheus registry per server: tests run several servers in one process, and prom-client's
 * global default registry would mix their counts. It carries prom-client's process and runtime
 * metrics (CPU, memory, file descriptors, heap) under their usual unprefixed names.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export function metricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
