/**
 * A span per tRPC procedure call (`trpc <path>`), over HTTP or a WebSocket: its path, the
 * request's id (the one the browser sent in x-request-id) and how it ended; never the caller or
 * the input.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { inSpan } from './spans.ts';

type Outcome = { ok: true } | { ok: false; error: { code: string } };

export function inProcedureSpan<R extends Outcome>(path: string, requestId: string, call: () => Promise<R>): Promise<R> {
  const attributes = { 'rpc.system': 'trpc', 'rpc.method': path, 'countersign.request_id': requestId };
  return inSpan(`trpc ${path}`, { kind: SpanKind.SERVER, attributes }, async (span) => {
    const result = await call();
    span.setAttribute('countersign.outcome', result.ok ? 'ok' : result.error.code);
    // A refusal the caller caused (bad input, no session) is the procedure working; only the server's own failure is an error.
    if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') span.setStatus({ code: SpanStatusCode.ERROR });
    return result;
  });
}
