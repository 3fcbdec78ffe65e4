/** The `models` procedures: the catalogue models a person may choose for their chats (`chats.setModel` chooses). */
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { ChatModels } from './chat-models.ts';

export function modelsRouter(models: ChatModels) {
  return router({
    list: protectedProcedure.query(({ ctx }) => models.usable(ctx.user.id)),
  });
}
