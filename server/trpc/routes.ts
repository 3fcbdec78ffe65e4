/** Serves the API at /trpc over HTTP and WebSocket, and ends sockets whose session ended. */
import { Elysia } from 'elysia';
import { ChatStore } from '../chats/chat-store.ts';
import type { Services } from '../services.ts';
import { trpcHttpRoutes } from './http.ts';
import { createAppRouter } from './root.ts';
import { SocketRegistry } from './socket-registry.ts';
import { trpcWsRoutes } from './ws-bridge.ts';

export function trpcRoutes(services: Services) {
  const { auth, log } = services;
  const authenticate = (request: Request) => auth.authenticate(request);
  const appRouter = createAppRouter({
    auth,
    chats: {
      chats: new ChatStore(services.db),
      forgetThread: async (chat) => {
        await services.checkpointer.deleteThread(chat.threadId);
      },
    },
  });
  const sockets = new SocketRegistry(authenticate, log);
  auth.onSessionsEnded((event) => {
    sockets.revalidate(event.userId).catch((error) => log.error('socket revalidation failed', { error }));
  });
  services.lifecycle.onShutdown('websockets', () => sockets.closeAll('The server is restarting.'));
  return new Elysia({ name: 'trpc' }).use(trpcHttpRoutes(appRouter, authenticate, log)).use(
    trpcWsRoutes({
      router: appRouter,
      authenticate,
      allowedOrigin: services.origin,
      log,
      onOpen: (socket, request) => sockets.add(socket, request),
    }),
  );
}
