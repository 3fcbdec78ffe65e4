/** The `models` procedures: the catalogue models a person may choose for their chats (`chats.setModel` chooses). */
import type { ModelDto } from '../../shared/models.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';

/** What the router needs of the agent's ChatModels: the models a person may use, and which a new chat starts on. */
export interface UsableModels {
  usable(userId: string): Promise<ModelDto[]>;
  startingModel(userId: string): Promise<string | null>;
}

export function modelsRouter(models: UsableModels) {
  return router({
    list: protectedProcedure.query(({ ctx }) => models.usable(ctx.user.id)),
    /** The model id a chat created now starts on (the person's last choice); null: the catalogue's default. */
    startingModel: protectedProcedure.query(({ ctx }) => models.startingModel(ctx.user.id)),
  });
}
