/** `session.initialize`: the seed's first call after sign-in. */
import type { InitializeResult, ModelInfo } from '../../shared/servers.ts';
import type { UserHandlers } from './user-handlers.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';

export interface SessionRouterDeps {
  handlers: UserHandlers;
  model: ModelInfo;
  devSignIn: boolean;
}

export function sessionRouter({ handlers, model, devSignIn }: SessionRouterDeps) {
  return router({
    initialize: protectedProcedure.mutation(async ({ ctx }): Promise<InitializeResult> => {
      await handlers.llmFor(ctx.user.id);
      return { user: ctx.user, model, devSignIn, connectedServers: await handlers.mcpFor(ctx.user.id).serverIds() };
    }),
  });
}
