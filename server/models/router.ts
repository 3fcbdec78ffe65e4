/** The `models` procedures: the catalogue models a person may choose for their chats (`chats.setModel` chooses). */
import type { ModelDto } from '../../shared/models.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';

/** What the router needs of the agent's ChatModels: the models a person may use. */
export interface UsableModels {
  usable(userId: string): Promise<ModelDto[]>;
}

export function modelsRouter(models: UsableModels) {
  return router({
    list: protectedProcedure.query(({ ctx }) => models.usable(ctx.user.id)),
  });
}
