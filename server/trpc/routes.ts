/** Serves the API at /trpc over HTTP and WebSocket, and ends sockets whose session ended. */
import type { AnyTRPCRouter } from '@trpc/server';
import { Elysia } from 'elysia';
import type { SessionUser } from '../../shared/types.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { Logger } from '../log.ts';
import { CallIntake } from './call-intake.ts';
import { trpcHttpRoutes } from './http.ts';
import { type SharedSocketCount, SocketRegistry } from './socket-registry.ts';
import { trpcWsRoutes } from './ws-bridge.ts';

/** What the API's transports need of sign-in (the auth service), declared here so trpc/ imports no feature. */
export interface TrpcAuth {
  authenticate(request: Request): Promise<SessionUser | null>;
  /** When the caller's session or token stops being valid. */
  validUntil(user: SessionUser): Date | undefined;
  onSessionsEnded(listener: (event: { userId: string }) => void): unknown;
  /** Once sessions may have ended unheard: `recheck` re-checks the sockets and names the people found signed out. */
  onSessionsMissed(recheck: () => Promise<string[]>): unknown;
}

export interface TrpcRoutesDeps {
  /** The whole API, assembled by the composition root (api/root.ts's createAppRouter). */
  router: AnyTRPCRouter;
  auth: TrpcAuth;
  log: Logger;
  lifecycle: Lifecycle;
  /** The origin WebSocket upgrades must come from. */
  origin: () => string;
  /** Whether an outgoing WebSocket frame is sent compressed (socket-compression.ts). */
  compressFrame: (frame: string) => boolean;
  /** Cluster mode: the per-person socket cap counts sockets on every instance. */
  sharedSocketCount?: SharedSocketCount;
  /** Requests that may send multipart form data (a file's upload) rather than JSON. */
  acceptsForm?: (request: Request) => boolean;
  /** Told of each socket opened; the function it returns, of that socket's close (operators' gauge). */
  countSocket?: () => () => void;
}

/** Sockets re-check their session when sessions end through any instance, and every one of them when some may have ended unheard. */
export function followSessions(auth: Pick<TrpcAuth, 'onSessionsEnded' | 'onSessionsMissed'>, sockets: SocketRegistry, log: Logger): void {
  auth.onSessionsEnded((event) => {
    sockets.revalidate(event.userId).catch((error) => log.error('socket revalidation failed', { error }));
  });
  auth.onSessionsMissed(() => sockets.revalidateAll());
}

export function trpcRoutes({
  router,
  auth,
  log,
  lifecycle,
  origin,
  compressFrame,
  sharedSocketCount,
  acceptsForm,
  countSocket,
}: TrpcRoutesDeps) {
  const authenticate = (request: Request) => auth.authenticate(request);
  const sockets = new SocketRegistry(sharedSocketCount);
  followSessions(auth, sockets, log);
  lifecycle.onShutdown('websockets', () => sockets.closeAll('The server is restarting.'));
  const intake = new CallIntake((error) => log.error('handing a call to tRPC failed', { error }));
  return new Elysia({ name: 'trpc' }).use(trpcHttpRoutes(router, authenticate, log, intake, acceptsForm)).use(
    trpcWsRoutes({
      router,
      authenticate,
      validUntil: (user) => auth.validUntil(user),
      allowedOrigin: origin,
      log,
      maxSocketsPerUser: 20,
      openSockets: (userId) => sockets.countFor(userId),
      onOpen: (socket) => {
        const uncount = countSocket?.();
        const remove = sockets.add(socket);
        return () => {
          remove();
          uncount?.();
        };
      },
      compressFrame,
      intake,
    }),
  );
}
