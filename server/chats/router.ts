/** The `chats` procedures: a person's own chats, and nobody else's. */
import { TRPCError } from '@trpc/server';
import type { ChatPageDto } from '../../shared/chats.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { ChatStore } from './chat-store.ts';
import { toChatDto } from './dto.ts';
import { chatRef, createChatInput, listChatsInput, renameChatInput, setServersInput } from './inputs.ts';

export interface ChatsRouterDeps {
  chats: ChatStore;
  /** Removes a deleted chat's history (its checkpointer thread) and live state. */
  forgetThread: (chat: { id: string; threadId: string }) => Promise<void>;
}

export const chatNotFound = () =>
  new TRPCError({ code: 'NOT_FOUND', message: 'No such chat: it was deleted, or it is not yours.' });

export function chatsRouter({ chats, forgetThread }: ChatsRouterDeps) {
  return router({
    list: protectedProcedure.input(listChatsInput).query(async ({ ctx, input }) => {
      const page = await chats.list(ctx.user.id, input);
      if (!page) throw new TRPCError({ code: 'BAD_REQUEST', message: 'cursor is not one this API returned.' });
      const result: ChatPageDto = { items: page.items.map(toChatDto), nextCursor: page.nextCursor };
      return result;
    }),

    create: protectedProcedure.input(createChatInput).mutation(async ({ ctx, input }) => {
      return toChatDto(await chats.create(ctx.user.id, input));
    }),

    rename: protectedProcedure.input(renameChatInput).mutation(async ({ ctx, input }) => {
      const row = await chats.update(ctx.user.id, input.chatId, { title: input.title });
      if (!row) throw chatNotFound();
      return toChatDto(row);
    }),

    setServers: protectedProcedure.input(setServersInput).mutation(async ({ ctx, input }) => {
      const row = await chats.update(ctx.user.id, input.chatId, { enabledServers: [...new Set(input.enabledServers)] });
      if (!row) throw chatNotFound();
      return toChatDto(row);
    }),

    delete: protectedProcedure.input(chatRef).mutation(async ({ ctx, input }) => {
      const row = await chats.softDelete(ctx.user.id, input.chatId);
      if (!row) throw chatNotFound();
      await forgetThread(row);
      return { id: row.id, deleted: true as const };
    }),
  });
}
