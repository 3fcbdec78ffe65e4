/**
 * The whole tRPC API, one router per feature. Procedures return plain DTOs from shared/ only;
 * the API's type for clients is `AppRouter` in app-router.ts.
 */
import { authRouter } from '../auth/router.ts';
import type { AuthService } from '../auth/auth-service.ts';
import { chatsRouter } from '../chats/router.ts';
import type { ChatService } from '../chats/service.ts';
import type { ChatModels } from '../agent/chat-models.ts';
import { filesRouter } from '../files/router.ts';
import type { FileService } from '../files/file-service.ts';
import { modelsRouter } from '../models/router.ts';
import { settingsRouter } from '../settings/router.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { serversRouter } from '../tools/router.ts';
import type { ToolService } from '../tools/service.ts';
import { sessionRouter } from '../tools/session-router.ts';
import type { RateLimiters } from '../trpc/rate-limit.ts';
import { router } from '../trpc/trpc.ts';

export interface AppRouterDeps {
  auth: AuthService;
  tools: ToolService;
  chats: ChatService;
  /** A person's own settings (custom instructions). */
  settings: SettingsStore;
  /** Where per-person rate limits keep their buckets: this process, or Redis in cluster mode. */
  limiters: RateLimiters;
  /** The catalogue models people may use, and each chat's choice among them. */
  models: ChatModels;
  /** Files people attach to their messages. */
  files: FileService;
}

export function createAppRouter(deps: AppRouterDeps) {
  return router({
    auth: authRouter(deps.auth),
    session: sessionRouter(deps.tools, deps.models),
    servers: serversRouter(deps.tools, deps.limiters),
    chats: chatsRouter(deps.chats, deps.limiters, deps.models),
    settings: settingsRouter(deps.settings),
    models: modelsRouter(deps.models),
    files: filesRouter(deps.files, deps.limiters),
  });
}
