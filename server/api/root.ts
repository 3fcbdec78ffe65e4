/**
 * The whole tRPC API, one router per feature. Procedures return plain DTOs from shared/ only;
 * the API's type for clients is `AppRouter` in app-router.ts.
 */
import { authRouter } from '../auth/router.ts';
import type { AuthService } from '../auth/auth-service.ts';
import { chatsRouter } from '../chats/router.ts';
import type { ChatService } from '../chats/service.ts';
import { serversRouter, type ServersRouterDeps } from '../tools/router.ts';
import { sessionRouter, type SessionRouterDeps } from '../tools/session-router.ts';
import { router } from '../trpc/trpc.ts';

export interface AppRouterDeps {
  auth: AuthService;
  session: SessionRouterDeps;
  servers: ServersRouterDeps;
  chats: ChatService;
}

export function createAppRouter(deps: AppRouterDeps) {
  return router({
    auth: authRouter(deps.auth),
    session: sessionRouter(deps.session),
    servers: serversRouter(deps.servers),
    chats: chatsRouter(deps.chats),
  });
}
