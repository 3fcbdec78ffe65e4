/**
 * OpenTelemetry traces, set up only when an OTLP endpoint is configured (config.ts reads the
 * standard OTEL_* variables): a tracer provider batching spans to the OTLP/HTTP exporter, and the
 * AsyncLocalStorage context manager, so a span started in a request is the parent of what that
 * request starts, however deep. Unset, nothing is registered and every span is the API's no-op.
 * Registration is process-wide; the server that set it up removes it when it stops.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { AppDatabase } from '../../db/database.ts';
import type { TracesConfig } from '../config.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { Logger } from '../log.ts';
import { samplerFor } from './sampler.ts';
import { traceSlowDatabaseWork } from './slow-db.ts';
import { captureToolArguments } from './tool-span.ts';

export interface TracingDeps {
  config: TracesConfig;
  lifecycle: Lifecycle;
  log: Logger;
  /** Either checkpoint saver, and the application database: they report each write's and statement's time (slow ones become spans). */
  checkpointer: Parameters<typeof traceSlowDatabaseWork>[0];
  db: AppDatabase;
}

export function setUpTracing({ config, lifecycle, log, checkpointer, db }: TracingDeps): void {
  const { otel } = config;
  if (!otel) return;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ ...keyValues(otel.resourceAttributes), 'service.name': otel.serviceName }),
    sampler: samplerFor(otel.sampler, otel.samplerRatio),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: otel.url, headers: keyValues(otel.headers) }) })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  captureToolArguments(config.captureToolArguments);
  traceSlowDatabaseWork(checkpointer, db, config.slowDbMs);
  // Registered before the chat runs' and MCP's steps, so it runs after them: their last spans are still sent.
  lifecycle.onShutdown('traces', async () => {
    await provider.shutdown();
    trace.disable();
    captureToolArguments(false);
    context.disable();
  });
  log.info('traces exported', { url: otel.url });
}

/** `key=value,key=value` with percent-encoded values, as OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES are written. */
function keyValues(text: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of text?.split(',') ?? []) {
    const at = item.indexOf('=');
    if (at > 0) pairs[item.slice(0, at).trim()] = decodeURIComponent(item.slice(at + 1).trim());
  }
  return pairs;
}
