/**
 * The whole tRPC API, one router per feature. `AppRouter` is the type the web chat and other
 * services import (through `countersign/client`); procedures return plain DTOs only.
 */
import { authRouter } from '../auth/router.ts';
import type { AuthService } from '../auth/auth-service.ts';
import { chatsRouter, type ChatsRouterDeps } from '../chats/router.ts';
import { router } from './trpc.ts';

export interface AppRouterDeps {
  auth: AuthService;
  chats: ChatsRouterDeps;
}

export function createAppRouter(deps: AppRouterDeps) {
  return router({
    auth: authRouter(deps.auth),
    chats: chatsRouter(deps.chats),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
