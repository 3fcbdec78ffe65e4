/**
 * `session.initialize`: the seed's first call after sign-in. The model it names is the one the
 * person's chats answer with unless they choose another: the catalogue's default among those they
 * may use, not the LLM_* settings' (those only seed the catalogue).
 */
import type { UsableModels } from '../models/router.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { ToolService } from './service.ts';

export function sessionRouter(tools: ToolService, models: UsableModels) {
  return router({
    initialize: protectedProcedure.mutation(async ({ ctx }) => {
      const [session, usable] = await Promise.all([tools.initialize(ctx.user), models.usable(ctx.user.id)]);
      // The default comes first; with no model to use, the settings' stays named.
      const first = usable[0];
      return first ? { ...session, model: { id: first.id, label: first.name, offlineDemo: first.offlineDemo } } : session;
    }),
  });
}
