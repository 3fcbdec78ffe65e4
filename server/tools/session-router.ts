/** `session.initialize`: the seed's first call after sign-in. */
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { ToolService } from './service.ts';

export function sessionRouter(tools: ToolService) {
  return router({
    initialize: protectedProcedure.mutation(({ ctx }) => tools.initialize(ctx.user)),
  });
}
