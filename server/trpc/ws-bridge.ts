/**
 * tRPC over WebSocket at /trpc, through tRPC's own connection handler (keep-alive, subscription
 * stop and reconnect semantics stay upstream's). Elysia's sockets are wrapped in the small
 * `ws`-like object that handler expects. The upgrade is refused unless it comes from the app's
 * own origin (cross-site WebSocket hijacking) and carries a valid session.
 */
import { EventEmitter } from 'node:events';
import type { AnyTRPCRouter } from '@trpc/server';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import { Elysia } from 'elysia';
import type { SessionUser } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import { newRequestId, type Authenticate } from './context.ts';
import { TRPC_PATH } from './http.ts';
import type { Context } from './trpc.ts';

const OPEN = 1;
const CLOSED = 3;

interface ElysiaSocket {
  send(data: string): unknown;
  close(code?: number, reason?: string): unknown;
  terminate(): unknown;
}

/** The subset of the `ws` package's WebSocket that tRPC's handler uses. */
class SocketAdapter extends EventEmitter {
  readyState = OPEN;
  constructor(private readonly socket: ElysiaSocket) {
    super();
  }
  send(data: string | Uint8Array) {
    if (this.readyState === OPEN) this.socket.send(typeof data === 'string' ? data : new TextDecoder().decode(data));
  }
  close(code?: number, reason?: string) {
    if (this.readyState === CLOSED) return;
    this.readyState = 2; // CLOSING until Elysia reports the close
    this.socket.close(code, reason);
  }
  terminate() {
    this.readyState = CLOSED;
    this.socket.terminate();
  }
}

export interface OpenSocket {
  user: SessionUser;
  close(code: number, reason: string): void;
}

export interface WsBridgeOptions {
  router: AnyTRPCRouter;
  authenticate: Authenticate;
  /** The only Origin a browser upgrade may come from. */
  allowedOrigin: () => string;
  log: Logger;
  /** Sockets one person may hold open at once (tabs, services); more are refused with 429. */
  maxSocketsPerUser: number;
  /** How many sockets the person holds open now. */
  openSockets: (userId: string) => number;
  /** Called for each socket opened, with a function that unregisters it on close. */
  onOpen?: (socket: OpenSocket, request: Request) => () => void;
}

export function trpcWsRoutes(options: WsBridgeOptions) {
  const { router, authenticate, log } = options;
  const users = new WeakMap<Request, SessionUser>();
  const adapters = new WeakMap<object, { adapter: SocketAdapter; unregister: () => void }>();
  const handler = getWSConnectionHandler({
    router,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    createContext: ({ req, info }): Context => ({
      user: users.get((req as unknown as { request: Request }).request) ?? null,
      requestId: newRequestId(),
      signal: info.signal,
    }),
    onError({ error, path, ctx }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        log.error('procedure failed', { path, errorId: ctx?.requestId, userId: ctx?.user?.id, error: error.cause ?? error });
      }
    },
  } as Parameters<typeof getWSConnectionHandler>[0]);

  return new Elysia({ name: 'trpc-ws' }).ws(TRPC_PATH, {
    async beforeHandle({ request, status }) {
      const origin = request.headers.get('origin');
      // Browsers always send Origin; services using the typed client from a server send none.
      if (origin !== null && origin !== options.allowedOrigin()) {
        return status(403, 'WebSocket refused: this Origin is not allowed.');
      }
      const user = await authenticate(request);
      if (!user) return status(401, 'WebSocket refused: sign in first.');
      if (options.openSockets(user.id) >= options.maxSocketsPerUser) {
        return status(429, `WebSocket refused: at most ${options.maxSocketsPerUser} open connections per person; close a tab or two.`);
      }
      users.set(request, user);
    },
    open(ws) {
      const request = ws.data.request;
      const user = users.get(request);
      if (!user) return void ws.close(4401, 'unauthenticated');
      const adapter = new SocketAdapter(ws);
      const unregister = options.onOpen?.({ user, close: (code, reason) => adapter.close(code, reason) }, request) ?? (() => {});
      adapters.set(ws.raw, { adapter, unregister });
      const url = new URL(request.url);
      const headers = Object.fromEntries(request.headers);
      handler(adapter as never, { url: url.pathname + url.search, headers, request } as never);
    },
    message(ws, message) {
      const entry = adapters.get(ws.raw);
      // Elysia parses JSON text frames; tRPC's handler wants the frame as it came.
      const text = typeof message === 'string' ? message : JSON.stringify(message);
      entry?.adapter.emit('message', Buffer.from(text), false);
    },
    close(ws) {
      const entry = adapters.get(ws.raw);
      if (!entry) return;
      adapters.delete(ws.raw);
      entry.adapter.readyState = CLOSED;
      entry.unregister();
      entry.adapter.emit('close');
    },
  });
}
