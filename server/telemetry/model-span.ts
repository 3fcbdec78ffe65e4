/**
 * A span per call to the model (`model.call`), with OpenTelemetry's gen_ai attributes: the model
 * asked and the one that answered, the tokens it counted, and when its first text arrived
 * (`countersign.time_to_first_token_ms`, and a `first_token` event). Never the prompt or the reply.
 */
import { type Span, SpanKind } from '@opentelemetry/api';
import { inSpan } from './spans.ts';

export interface ModelCallSpan {
  /** A piece of the reply arrived; the first one's time is recorded. */
  firstToken(): void;
  /** The reply is whole: the model that wrote it and its token counts, where the endpoint said. */
  answered(reply: { model?: string; inputTokens?: number; outputTokens?: number }): void;
}

export function inModelSpan<T>(model: string | undefined, call: (span: ModelCallSpan) => Promise<T>): Promise<T> {
  const attributes = { 'gen_ai.operation.name': 'chat', ...(model ? { 'gen_ai.request.model': model } : {}) };
  const started = performance.now();
  return inSpan('model.call', { kind: SpanKind.CLIENT, attributes }, (span) => call(modelCallSpan(span, started)));
}

function modelCallSpan(span: Span, started: number): ModelCallSpan {
  let first = true;
  return {
    firstToken() {
      if (!first) return;
      first = false;
      span.setAttribute('countersign.time_to_first_token_ms', Math.round(performance.now() - started));
      span.addEvent('first_token');
    },
    answered({ model, inputTokens, outputTokens }) {
      if (model) span.setAttribute('gen_ai.response.model', model);
      if (inputTokens !== undefined) span.setAttribute('gen_ai.usage.input_tokens', inputTokens);
      if (outputTokens !== undefined) span.setAttribute('gen_ai.usage.output_tokens', outputTokens);
    },
  };
}
