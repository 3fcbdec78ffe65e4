/** Talking to the built-in MCP server at /mcp as an outside client does. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** One POST to a server's /mcp, as an outside client sends it. */
export function postMcp(serverUrl: string, token: string, message: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${serverUrl}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify(message),
    signal,
  });
}

export interface CancellableCall {
  readonly cancel: AbortController;
  /** Progress notifications received so far. */
  progress: number;
  /** Settles when the call ends: its result, or the error it ended with (cancelled). */
  outcome: Promise<unknown>;
}

/** Long calls to slow_count that a test cancels one by one, each counting its progress. */
export function startCancellableCalls(client: Client, count: number, intervalMs: number): CancellableCall[] {
  return Array.from({ length: count }, () => {
    const cancel = new AbortController();
    const call: CancellableCall = { cancel, progress: 0, outcome: Promise.resolve<unknown>(undefined) };
    call.outcome = client
      .callTool({ name: 'slow_count', arguments: { to: 100, intervalMs } }, undefined, {
        signal: cancel.signal,
        onprogress: () => call.progress++,
      })
      .catch((error: unknown) => error);
    return call;
  });
}
