/** Long calls to the built-in MCP server's slow_count that a test cancels one by one, each counting its progress. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

export interface CancellableCall {
  readonly cancel: AbortController;
  /** Progress notifications received so far. */
  progress: number;
  /** Settles when the call ends: its result, or the error it ended with (cancelled). */
  outcome: Promise<unknown>;
}

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
