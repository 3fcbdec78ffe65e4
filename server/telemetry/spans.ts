/**
 * Starting spans: each is the active span while its work runs (so what the work starts is its
 * child), ends when the work settles, and records a thrown error. With traces off (tracing.ts)
 * these are the API's no-op spans.
 */
import { type Attributes, type Context, context, type Span, type SpanOptions, SpanStatusCode, trace } from '@opentelemetry/api';

/** Looked up at each use: a provider registered (or removed) after a module loaded still counts. */
export function tracer() {
  return trace.getTracer('countersign');
}

export function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks the span failed with the error's name and message (never its data). */
export function failed(span: Span, error: unknown): void {
  const attributes: Attributes = { 'error.type': error instanceof Error ? error.name : typeof error };
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.setAttributes(attributes);
}
