/** Serves the API at /trpc over HTTP and WebSocket, and ends sockets whose session ended. */
import { Elysia } from 'elysia';
import { ChatStore } from '../chats/chat-store.ts';
import { PreferenceStore } from '../servers/preference-store.ts';
import type { Services } from '../services.ts';
import { trpcHttpRoutes } from './http.ts';
import { createAppRouter } from './root.ts';
import { SocketRegistry } from './socket-registry.ts';
import { trpcWsRoutes } from './ws-bridge.ts';

export function trpcRoutes(services: Services) {
  const { auth, log } = services;
  const authenticate = (request: Request) => auth.authenticate(request);
  const chats = new ChatStore(services.db);
  const { handlers, chatRuns, catalogue } = services;
  const demo = services.config.llm.provider === 'demo';
  const appRouter = createAppRouter({
    auth,
    session: {
      handlers,
      model: demo
        ? { id: 'countersign-demo', label: 'Offline demo model', offlineDemo: true }
        : { id: services.config.llm.model ?? 'gpt-4.1', label: services.config.llm.model ?? 'gpt-4.1', offlineDemo: false },
      devSignIn: services.config.auth.authority === undefined,
    },
    servers: { catalogue, handlers, chats, preferences: new PreferenceStore(services.db) },
    chats: {
      chats,
      runs: chatRuns,
      handlers,
      connectedServers: (userId) => handlers.mcpFor(userId).serverIds(),
      forgetThread: async (chat) => {
        handlers.stopThread(chat.ownerId, chat.threadId);
        chatRuns.hub.drop(chat.id);
        await services.checkpointer.deleteThread(chat.threadId);
      },
    },
  });
  const sockets = new SocketRegistry();
  auth.onSessionsEnded((event) => {
    sockets.revalidate(event.userId).catch((error) => log.error('socket revalidation failed', { error }));
  });
  services.lifecycle.onShutdown('websockets', () => sockets.closeAll('The server is restarting.'));
  return new Elysia({ name: 'trpc' }).use(trpcHttpRoutes(appRouter, authenticate, log)).use(
    trpcWsRoutes({
      router: appRouter,
      authenticate,
      validUntil: (user) => auth.validUntil(user),
      allowedOrigin: services.origin,
      log,
      maxSocketsPerUser: 20,
      openSockets: (userId) => sockets.countFor(userId),
      onOpen: (socket) => sockets.add(socket),
    }),
  );
}
