/**
 * The typed client other TypeScript services import as `countersign/client`.
 *
 *   const cs = createCountersignClient({ url: 'https://chat.example.org', token: process.env.COUNTERSIGN_TOKEN });
 *   const chat = await cs.api.chats.create.mutate({ title: 'Nightly report' });
 *
 * A service authenticates with an API token an admin issues for its service account
 * (`Authorization: Bearer cs_…`, on HTTP requests and on the WebSocket upgrade). Queries and
 * mutations go over HTTP (batched; a file's upload alone, as form data); subscriptions over one
 * WebSocket, opened on first use.
 */
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  isNonJsonSerializable,
  splitLink,
  wsLink,
  type TRPCClient,
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../server/api/app-router.ts';
import { newRequestIdHeader } from './request-id.ts';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type * from './chat-events.ts';
export type * from './chat-export.ts';
export type * from './chats.ts';
export type * from './files.ts';
export type * from './settings.ts';
export type * from './types.ts';
/** The API's size limits, so a service can check its input before sending it. */
export { LIMITS } from './limits.ts';

export interface CountersignClientOptions {
  /** The server's origin, e.g. `https://chat.example.org`. */
  url: string;
  /** A service API token (`cs_…`). Browsers use their session cookie instead. */
  token?: string;
  /** Extra headers for HTTP requests and the WebSocket upgrade (server-side runtimes only). */
  headers?: Record<string, string>;
  /** Send queries and mutations over the WebSocket too, instead of HTTP. */
  allOverWebSocket?: boolean;
}

export interface CountersignClient {
  api: TRPCClient<AppRouter>;
  /** Closes the WebSocket, if one was opened. */
  close(): Promise<void>;
}

export function createCountersignClient(options: CountersignClientOptions): CountersignClient {
  const origin = options.url.replace(/\/$/, '');
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const wsClient = createWSClient({
    url: `${origin.replace(/^http/, 'ws')}/trpc`,
    lazy: { enabled: true, closeMs: 30_000 },
    WebSocket: Object.keys(headers).length ? webSocketWithHeaders(headers) : undefined,
  });
  const batched = httpBatchLink<AppRouter>({ url: `${origin}/trpc`, headers: () => ({ ...headers, ...newRequestIdHeader() }) });
  // An upload's FormData cannot be batched as JSON: it goes alone, as multipart form data.
  const http = splitLink<AppRouter>({
    condition: (op) => isNonJsonSerializable(op.input),
    true: httpLink({ url: `${origin}/trpc`, headers: () => ({ ...headers, ...newRequestIdHeader() }) }),
    false: batched,
  });
  const ws = wsLink<AppRouter>({ client: wsClient });
  const api = createTRPCClient<AppRouter>({
    links: [options.allOverWebSocket ? ws : splitLink({ condition: (op) => op.type === 'subscription', true: ws, false: http })],
  });
  return { api, close: () => wsClient.close() };
}

/**
 * Bun's and Node's (undici) WebSocket take headers in a second options argument; browsers
 * cannot set headers and send the session cookie themselves.
 */
function webSocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  const Base = globalThis.WebSocket;
  return class extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, { headers, protocols } as unknown as string[]);
    }
  } as typeof WebSocket;
}
