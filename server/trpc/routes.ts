/** Serves the API at /trpc over HTTP and WebSocket, and ends sockets whose session ended. */
import { Elysia } from 'elysia';
import type { AuthService } from '../auth/auth-service.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { Logger } from '../log.ts';
import { trpcHttpRoutes } from './http.ts';
import type { AppRouter } from './app-router.ts';
import { SocketRegistry } from './socket-registry.ts';
import { trpcWsRoutes } from './ws-bridge.ts';

export interface TrpcRoutesDeps {
  /** The whole API, assembled by the composition root (root.ts's createAppRouter). */
  router: AppRouter;
  auth: AuthService;
  log: Logger;
  lifecycle: Lifecycle;
  /** The origin WebSocket upgrades must come from. */
  origin: () => string;
}

export function trpcRoutes({ router, auth, log, lifecycle, origin }: TrpcRoutesDeps) {
  const authenticate = (request: Request) => auth.authenticate(request);
  const sockets = new SocketRegistry();
  auth.onSessionsEnded((event) => {
    sockets.revalidate(event.userId).catch((error) => log.error('socket revalidation failed', { error }));
  });
  lifecycle.onShutdown('websockets', () => sockets.closeAll('The server is restarting.'));
  return new Elysia({ name: 'trpc' }).use(trpcHttpRoutes(router, authenticate, log)).use(
    trpcWsRoutes({
      router,
      authenticate,
      validUntil: (user) => auth.validUntil(user),
      allowedOrigin: origin,
      log,
      maxSocketsPerUser: 20,
      openSockets: (userId) => sockets.countFor(userId),
      onOpen: (socket) => sockets.add(socket),
    }),
  );
}
