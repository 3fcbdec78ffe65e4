/** The `chats` procedures: a person's own chats, and nobody else's. Each validates, calls the chat service, and returns. */
import type { RateLimiters } from '../trpc/rate-limit.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import { chatEventStream } from './event-stream.ts';
import { personEventStream } from './person-events.ts';
import { FollowAllowance } from './follow-allowance.ts';
import { exportChat } from './chat-export.ts';
import {
  answerQuestionInput,
  archiveChatInput,
  changesInput,
  chatRef,
  createChatInput,
  decideInput,
  editMessageInput,
  eventsInput,
  exportChatInput,
  listChatsInput,
  messageRef,
  pinChatInput,
  renameChatInput,
  searchChatsInput,
  sendInput,
  setRootsInput,
  setServersInput,
  setSystemPromptInput,
  setModelInput,
} from '../../shared/inputs/chats.ts';
import type { ChatModels } from '../agent/chat-models.ts';
import type { ChatService } from './service.ts';

/** How `chats.changes` counts among a connection's follows: as one more "chat", never a chat id (those are UUIDs). */
const PERSON_STREAM = 'changes';

export function chatsRouter(chats: ChatService, limiters: RateLimiters, models: ChatModels) {
  const sends = limiters({ name: 'sends', what: 'messages', burst: 10, perMinute: 30 });
  const follows = new FollowAllowance();
  const creates = limiters({ name: 'creates', what: 'new chats', burst: 20, perMinute: 30 });
  // A person may decide several approvals in a row; a script answering stale ids in a loop may not.
  const decides = limiters({ name: 'decides', what: 'decisions', burst: 20, perMinute: 60 });
  // Each change of a chat's roots is told to the server, through whichever instance holds the person's connection.
  const rootChanges = limiters({ name: 'root-changes', what: 'changes to the folders servers may see', burst: 30, perMinute: 60 });

  return router({
    list: protectedProcedure.input(listChatsInput).query(({ ctx, input }) => chats.list(ctx.user.id, input)),

    create: protectedProcedure.input(createChatInput).mutation(async ({ ctx, input }) => {
      await creates.take(ctx.user.id);
      return chats.create(ctx.user.id, input);
    }),

    get: protectedProcedure.input(chatRef).query(({ ctx, input }) => chats.get(ctx.user.id, input.chatId)),

    // The caller is the chat's owner (get refuses anyone else), so the one person who decides in it.
    export: protectedProcedure
      .input(exportChatInput)
      .query(async ({ ctx, input }) => exportChat(await chats.get(ctx.user.id, input.chatId), ctx.user, input.format)),

    send: protectedProcedure.input(sendInput).mutation(async ({ ctx, input }) => {
      await sends.take(ctx.user.id);
      await chats.send(ctx.user.id, await chats.owned(ctx.user.id, input.chatId), input.text, input.attachments, input.files);
      return { accepted: true as const };
    }),

    decide: protectedProcedure.input(decideInput).mutation(async ({ ctx, input }) => {
      await decides.take(ctx.user.id);
      const chat = await chats.owned(ctx.user.id, input.chatId);
      await chats.decide(ctx.user.id, chat, input.interruptId, input.decisions, input.alwaysAllow);
      return { accepted: true as const };
    }),

    answerQuestion: protectedProcedure.input(answerQuestionInput).mutation(async ({ ctx, input }) => {
      await decides.take(ctx.user.id);
      const chat = await chats.owned(ctx.user.id, input.chatId);
      await chats.answerQuestion(ctx.user.id, chat, input.questionId, input.answer);
      return { accepted: true as const };
    }),

    retry: protectedProcedure.input(chatRef).mutation(async ({ ctx, input }) => {
      await sends.take(ctx.user.id);
      await chats.retry(ctx.user.id, await chats.owned(ctx.user.id, input.chatId));
      return { accepted: true as const };
    }),

    // An edit, a regenerate and a continue each start a run, as a send does.
    edit: protectedProcedure.input(editMessageInput).mutation(async ({ ctx, input }) => {
      await sends.take(ctx.user.id);
      await chats.edit(ctx.user.id, await chats.owned(ctx.user.id, input.chatId), input.messageId, input.text);
      return { accepted: true as const };
    }),

    regenerate: protectedProcedure.input(messageRef).mutation(async ({ ctx, input }) => {
      await sends.take(ctx.user.id);
      await chats.regenerate(ctx.user.id, await chats.owned(ctx.user.id, input.chatId), input.messageId);
      return { accepted: true as const };
    }),

    continue: protectedProcedure.input(chatRef).mutation(async ({ ctx, input }) => {
      await sends.take(ctx.user.id);
      await chats.continueAnswer(ctx.user.id, await chats.owned(ctx.user.id, input.chatId));
      return { accepted: true as const };
    }),

    switchBranch: protectedProcedure
      .input(messageRef)
      .mutation(async ({ ctx, input }) => chats.switchBranch(ctx.user.id, await chats.owned(ctx.user.id, input.chatId), input.messageId)),

    stop: protectedProcedure.input(chatRef).mutation(async ({ ctx, input }) => {
      return { stopped: await chats.stop(await chats.owned(ctx.user.id, input.chatId)) };
    }),

    // Resolves to the stream rather than being a generator, so that a refusal is the answer
    // instead of an error after `started`.
    events: protectedProcedure.input(eventsInput).subscription(async ({ ctx, input, signal }) => {
      const chat = await chats.owned(ctx.user.id, input.chatId);
      // A WebSocket's context, and so ctx.signal, is built once per connection: it names the socket.
      follows.take(ctx.signal, ctx.user.id, chat.id, signal);
      return chatEventStream(chats.hub, chat.id, input.lastEventId, signal);
    }),

    // The approvals waiting in the person's own chats, newest first.
    inbox: protectedProcedure.query(({ ctx }) => chats.inbox(ctx.user.id)),

    // The person's own changes only: the stream is keyed by the caller's id, never by input.
    changes: protectedProcedure.input(changesInput).subscription(({ ctx, input, signal }) => {
      follows.take(ctx.signal, ctx.user.id, PERSON_STREAM, signal);
      return personEventStream(chats.people, ctx.user.id, input.lastEventId, signal);
    }),

    rename: protectedProcedure.input(renameChatInput).mutation(({ ctx, input }) => chats.rename(ctx.user.id, input.chatId, input.title)),

    setSystemPrompt: protectedProcedure
      .input(setSystemPromptInput)
      .mutation(({ ctx, input }) => chats.setSystemPrompt(ctx.user.id, input.chatId, input.systemPrompt)),

    // Another person's chat is not found before the model is looked at.
    setModel: protectedProcedure.input(setModelInput).mutation(async ({ ctx, input }) => {
      const chat = await chats.owned(ctx.user.id, input.chatId);
      if (input.modelId !== null) await models.assertUsable(ctx.user.id, input.modelId);
      return chats.setModel(ctx.user.id, chat.id, input.modelId);
    }),

    setServers: protectedProcedure
      .input(setServersInput)
      .mutation(({ ctx, input }) => chats.setServers(ctx.user.id, input.chatId, input.enabledServers)),

    setRoots: protectedProcedure.input(setRootsInput).mutation(async ({ ctx, input }) => {
      await rootChanges.take(ctx.user.id);
      return chats.setRoots(ctx.user.id, input.chatId, input.serverId, input.uris);
    }),

    search: protectedProcedure.input(searchChatsInput).query(({ ctx, input }) => chats.search(ctx.user.id, input.query, input.limit)),

    pin: protectedProcedure.input(pinChatInput).mutation(({ ctx, input }) => chats.pin(ctx.user.id, input.chatId, input.pinned)),

    archive: protectedProcedure
      .input(archiveChatInput)
      .mutation(({ ctx, input }) => chats.archive(ctx.user.id, input.chatId, input.archived)),

    delete: protectedProcedure.input(chatRef).mutation(({ ctx, input }) => chats.delete(ctx.user.id, input.chatId)),
  });
}
