/**
 * slow_count: counts slowly, reporting progress at every step, and stops when the caller cancels.
 * It exists to show (and test) progress, timeouts that restart on progress, and cancellation.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

export function registerSlowCountTool(server: McpServer): void {
  server.registerTool(
    'slow_count',
    {
      title: 'Count slowly',
      description:
        'Counts from 1 to `to`, one number every `intervalMs` milliseconds, reporting progress. Useful to try progress and cancelling.',
      inputSchema: z.object({
        to: z.number().int().min(1).max(100).default(5),
        intervalMs: z.number().int().min(10).max(5000).default(500),
      }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ to, intervalMs }, ctx) => {
      const { signal, notify } = ctx.mcpReq;
      const progressToken = ctx.mcpReq._meta?.progressToken;
      for (let n = 1; n <= to; n++) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
        // A cancelled request gets no response at all (the SDK drops it), so just stop working.
        if (signal.aborted) return { content: [{ type: 'text', text: `Cancelled at ${n - 1}.` }], isError: true };
        if (progressToken !== undefined) {
          await notify({
            method: 'notifications/progress',
            params: { progressToken, progress: n, total: to, message: `counted ${n} of ${to}` },
          });
        }
      }
      return { content: [{ type: 'text', text: `Counted to ${to}.` }] };
    },
  );
}
