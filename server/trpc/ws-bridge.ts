/**
 * tRPC over WebSocket at /trpc, through tRPC's own connection handler (keep-alive, subscription
 * stop and reconnect semantics stay upstream's). The upgrade is refused unless it comes from the
 * app's own origin (cross-site WebSocket hijacking) and carries a valid session; every call on the
 * open socket then waits for its turn (call-intake.ts) and on that session being live (socket-session.ts).
 */
import type { AnyTRPCRouter } from '@trpc/server';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import { Elysia } from 'elysia';
import type { SessionUser } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import { requestIdOf } from '../logging/http-request-ids.ts';
import { withRequestId } from '../logging/request-context.ts';
import type { CallIntake } from './call-intake.ts';
import type { Authenticate } from './context.ts';
import { TRPC_PATH } from './http.ts';
import { SocketAdapter } from './socket-adapter.ts';
import { SocketSession } from './socket-session.ts';
import { logUnexpectedFailures } from './procedure-failures.ts';
import type { Context } from './trpc.ts';

export interface OpenSocket {
  user: SessionUser;
  /** Authenticates the socket's upgrade request again; the socket closes (4401) if its session ended, and this says false. */
  recheck(): Promise<boolean>;
  close(code: number, reason: string): void;
}

export interface WsBridgeOptions {
  router: AnyTRPCRouter;
  authenticate: Authenticate;
  /** When the session that authenticated a user lapses unless used; undefined: no known end. */
  validUntil: (user: SessionUser) => Date | undefined;
  /** The only Origin a browser upgrade may come from. */
  allowedOrigin: () => string;
  log: Logger;
  /** Sockets one person may hold open at once (tabs, services); more are refused with 429. */
  maxSocketsPerUser: number;
  /** How many sockets the person holds open now (on every instance, in cluster mode). */
  openSockets: (userId: string) => number | Promise<number>;
  /** Whether an outgoing frame is sent compressed (socket-compression.ts). */
  compressFrame: (frame: string) => boolean;
  /** Called for each socket opened, with a function that unregisters it on close. */
  onOpen?: (socket: OpenSocket) => () => void;
  /** Where incoming calls wait for their turn (one lane per socket). */
  intake: CallIntake;
}

export function trpcWsRoutes(options: WsBridgeOptions) {
  const { router, authenticate, log, intake } = options;
  const users = new WeakMap<Request, SessionUser>();
  const logFailure = logUnexpectedFailures(log);
  const sockets = new WeakMap<object, { adapter: SocketAdapter; session: SocketSession; unregister: () => void; calls: number }>();
  const handler = getWSConnectionHandler({
    router,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    createContext: ({ req, info }): Context => ({
      user: users.get((req as unknown as { request: Request }).request) ?? null,
      requestId: requestIdOf((req as unknown as { request: Request }).request),
      signal: info.signal,
    }),
    // Wrapped so that its argument takes its type from the options' (cast: Bun's sockets are no `wss`).
    onError: (failure) => logFailure(failure),
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
      if ((await options.openSockets(user.id)) >= options.maxSocketsPerUser) {
        return status(429, `WebSocket refused: at most ${options.maxSocketsPerUser} open connections per person; close a tab or two.`);
      }
      users.set(request, user);
    },
    open(ws) {
      const request = ws.data.request;
      const user = users.get(request);
      if (!user) return void ws.close(4401, 'unauthenticated');
      const adapter = new SocketAdapter(ws, options.compressFrame);
      const session = new SocketSession({
        request,
        user,
        authenticate,
        validUntil: options.validUntil,
        // A call that ended the session (auth.logout over this socket) still gets its answer.
        end: (code, reason) => adapter.closeWhenAnswered(code, reason),
        log,
      });
      const unregister =
        options.onOpen?.({ user, recheck: () => session.recheck(), close: (code, reason) => adapter.close(code, reason) }) ?? (() => {});
      sockets.set(ws.raw, { adapter, session, unregister, calls: 0 });
      const url = new URL(request.url);
      const headers = Object.fromEntries(request.headers);
      handler(adapter as never, { url: url.pathname + url.search, headers, request } as never);
    },
    message(ws, message) {
      const socket = sockets.get(ws.raw);
      if (!socket) return;
      const { adapter, session } = socket;
      // Keep-alive skips the queue: a PONG waiting behind calls would make a live client look gone.
      if (message === 'PING' || message === 'PONG') return session.whenLive(() => adapter.receive(message, message));
      // A batch is taken apart, so that its calls take turns with other connections' calls too.
      for (const part of Array.isArray(message) ? message : [message]) {
        const text = typeof part === 'string' ? part : JSON.stringify(part);
        // Each call is a request of its own for the log: the socket's id (its upgrade's) and a count.
        socket.calls += 1;
        const id = `${requestIdOf(ws.data.request)}.${socket.calls}`;
        if (!intake.enqueue(socket, () => withRequestId(id, () => session.whenLive(() => adapter.receive(part, text))), text.length)) {
          adapter.refuseAsTooMany(part, 'Too many calls are waiting on this connection: wait for their answers before sending more.');
        }
      }
    },
    close(ws) {
      const socket = sockets.get(ws.raw);
      if (!socket) return;
      sockets.delete(ws.raw);
      intake.drop(socket);
      socket.session.dispose();
      socket.unregister();
      socket.adapter.closed();
    },
  });
}
