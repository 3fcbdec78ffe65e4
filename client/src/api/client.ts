/**
 * The browser's tRPC client: queries and mutations over HTTP (batched, with the session
 * cookie; a file upload's FormData alone, unbatched), subscriptions over one WebSocket to the same origin. The WebSocket client reconnects
 * on its own and resubscribes each subscription with the id of the last event it delivered, so
 * a dropped connection resumes where it stopped. Each HTTP request names itself (x-request-id) for
 * the server's log.
 */
import { createTRPCClient, createWSClient, httpBatchLink, httpLink, isNonJsonSerializable, splitLink, wsLink } from '@trpc/client';
import type { AppRouter } from '../../../shared/client.ts';
import { newRequestIdHeader } from '../../../shared/request-id.ts';

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/trpc`;

export const wsClient = createWSClient({
  url: wsUrl,
  // A dropped network usually comes back within a second: retry fast first, then back off to 10 s.
  retryDelayMs: (attempt) => Math.min(300 * 2 ** attempt, 10_000),
  // Notices a socket that died silently (laptop sleep, a proxy dropping it) within about 20 s.
  keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
});

export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink<AppRouter>({ client: wsClient }),
      false: splitLink({
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink<AppRouter>({ url: '/trpc', headers: newRequestIdHeader }),
        false: httpBatchLink<AppRouter>({ url: '/trpc', headers: newRequestIdHeader }),
      }),
    }),
  ],
});
