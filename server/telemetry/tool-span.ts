/**
 * A span per MCP tool call (`mcp.call_tool`): the server, the tool and the outcome. The arguments
 * may hold what a person wrote, so they are recorded only when OTEL_CAPTURE_TOOL_ARGUMENTS is on.
 */
import { SpanKind, trace } from '@opentelemetry/api';
import { inSpan } from './spans.ts';

let captureArguments = false;

/** Set by tracing.ts from OTEL_CAPTURE_TOOL_ARGUMENTS while traces are on. */
export function captureToolArguments(on: boolean): void {
  captureArguments = on;
}

type Outcome = { ok: true } | { ok: false; kind: string };

export function inToolSpan<R extends Outcome>(tool: string, args: Record<string, unknown>, call: () => Promise<R>): Promise<R> {
  const attributes = { 'gen_ai.tool.name': tool, ...(captureArguments ? { 'countersign.tool.arguments': JSON.stringify(args) } : {}) };
  return inSpan('mcp.call_tool', { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const result = await call();
    span.setAttribute('countersign.tool.outcome', result.ok ? 'succeeded' : result.kind);
    return result;
  });
}

/** Names the server on the tool call's span, once the call has found it. */
export function nameToolServer(serverName: string): void {
  trace.getActiveSpan()?.setAttribute('mcp.server.name', serverName);
}
