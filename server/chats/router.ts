/** The `chats` procedures: a person's own chats, and nobody else's. */
import { TRPCError } from '@trpc/server';
import type { ChatPageDto, ChatWithHistory } from '../../shared/chats.ts';
import type { UserHandlers } from '../handlers/user-handlers.ts';
import { RateLimiter } from '../trpc/rate-limit.ts';
import type { ChatRuns } from './chat-runs.ts';
import { chatEventStream } from './event-stream.ts';
import { FollowAllowance } from './follow-allowance.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { ChatStore } from './chat-store.ts';
import { toChatDto } from './dto.ts';
import { chatNotFound } from '../domain-error.ts';
import { chatRef, createChatInput, decideInput, eventsInput, listChatsInput, renameChatInput, sendInput, setServersInput } from '../../shared/inputs/chats.ts';

export interface ChatsRouterDeps {
  chats: ChatStore;
  runs: ChatRuns;
  handlers: UserHandlers;
  /** Server ids a new chat uses when the caller names none: the person's connected servers. */
  connectedServers: (userId: string) => Promise<string[]>;
}

export function chatsRouter({ chats, runs, handlers, connectedServers }: ChatsRouterDeps) {
  const sends = new RateLimiter({ burst: 10, perMinute: 30 }, 'messages');
  const follows = new FollowAllowance();
  const creates = new RateLimiter({ burst: 20, perMinute: 30 }, 'new chats');
  // A person may decide several approvals in a row; a script answering stale ids in a loop may not.
  const decides = new RateLimiter({ burst: 20, perMinute: 60 }, 'decisions');
  const owned = async (userId: string, chatId: string) => {
    const chat = await chats.get(userId, chatId);
    if (!chat) throw chatNotFound();
    return chat;
  };

  return router({
    list: protectedProcedure.input(listChatsInput).query(async ({ ctx, input }) => {
      const page = await chats.list(ctx.user.id, input);
      if (!page) throw new TRPCError({ code: 'BAD_REQUEST', message: 'cursor is not one this API returned.' });
      const result: ChatPageDto = { items: page.items.map(toChatDto), nextCursor: page.nextCursor };
      return result;
    }),

    create: protectedProcedure.input(createChatInput).mutation(async ({ ctx, input }) => {
      creates.take(ctx.user.id);
      const enabledServers = input.enabledServers ?? (await connectedServers(ctx.user.id));
      return toChatDto(await chats.create(ctx.user.id, { ...input, enabledServers }));
    }),

    get: protectedProcedure.input(chatRef).query(async ({ ctx, input }): Promise<ChatWithHistory> => {
      const chat = await owned(ctx.user.id, input.chatId);
      // The cursor is taken first: whatever happens while the history is read is replayed after it.
      const cursor = runs.hub.cursor(chat.id);
      const history = await (await handlers.llmFor(ctx.user.id)).history(chat.threadId);
      if (runs.isActive(chat.id) && history.runState.status !== 'awaiting_approval') history.runState = { status: 'running' };
      return { chat: toChatDto(chat), history, cursor };
    }),

    send: protectedProcedure.input(sendInput).mutation(async ({ ctx, input }) => {
      sends.take(ctx.user.id);
      await runs.send(ctx.user.id, await owned(ctx.user.id, input.chatId), input.text);
      return { accepted: true as const };
    }),

    decide: protectedProcedure.input(decideInput).mutation(async ({ ctx, input }) => {
      decides.take(ctx.user.id);
      const chat = await owned(ctx.user.id, input.chatId);
      await runs.decide(ctx.user.id, chat, input.interruptId, input.decisions, input.alwaysAllow);
      return { accepted: true as const };
    }),

    retry: protectedProcedure.input(chatRef).mutation(async ({ ctx, input }) => {
      sends.take(ctx.user.id);
      await runs.retry(ctx.user.id, await owned(ctx.user.id, input.chatId));
      return { accepted: true as const };
    }),

    stop: protectedProcedure.input(chatRef).mutation(async ({ ctx, input }) => {
      return { stopped: await runs.stop(ctx.user.id, await owned(ctx.user.id, input.chatId)) };
    }),

    // Resolves to the stream rather than being a generator, so that a refusal is the answer
    // instead of an error after `started`.
    events: protectedProcedure.input(eventsInput).subscription(async ({ ctx, input, signal }) => {
      const chat = await owned(ctx.user.id, input.chatId);
      // A WebSocket's context, and so ctx.signal, is built once per connection: it names the socket.
      follows.take(ctx.signal, ctx.user.id, chat.id, signal);
      return chatEventStream(runs.hub, chat.id, input.lastEventId, signal);
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
      await runs.forget(row);
      return { id: row.id, deleted: true as const };
    }),
  });
}
