/** Input schemas of the chat procedures, with every size bounded. */
import { z } from 'zod';

export const LIMITS = {
  title: 200,
  message: 32_000,
  pageSize: 100,
  search: 200,
  serversPerChat: 50,
  decisionsPerRequest: 64,
  reason: 2_000,
  editedArguments: 100_000,
} as const;

export const chatId = z.uuid({ error: 'chatId must be a chat id (a UUID)' });
const serverId = z.string().min(1).max(64);

export const listChatsInput = z
  .object({
    limit: z.number().int().min(1).max(LIMITS.pageSize).default(30),
    cursor: z.string().max(100).optional(),
    search: z.string().trim().max(LIMITS.search).optional(),
  })
  .default({ limit: 30 });

export const createChatInput = z
  .object({
    title: z.string().trim().min(1).max(LIMITS.title).optional(),
    enabledServers: z.array(serverId).max(LIMITS.serversPerChat).optional(),
  })
  .default({});

export const renameChatInput = z.object({ chatId, title: z.string().trim().min(1, 'title must not be empty').max(LIMITS.title) });

export const setServersInput = z.object({
  chatId,
  enabledServers: z.array(serverId).max(LIMITS.serversPerChat),
});

export const chatRef = z.object({ chatId });

export const sendInput = z.object({
  chatId,
  text: z.string().trim().min(1, 'the message is empty').max(LIMITS.message, `messages are limited to ${LIMITS.message} characters`),
});

const toolCallId = z.string().min(1).max(200);
const editedArguments = z
  .record(z.string(), z.unknown())
  .refine((args) => JSON.stringify(args).length <= LIMITS.editedArguments, `edited arguments are limited to ${LIMITS.editedArguments} characters of JSON`);

export const decideInput = z.object({
  chatId,
  interruptId: z.string().min(1).max(200),
  decisions: z
    .array(
      z.discriminatedUnion('action', [
        z.object({ toolCallId, action: z.literal('approve') }),
        z.object({ toolCallId, action: z.literal('edit'), arguments: editedArguments }),
        z.object({ toolCallId, action: z.literal('reject'), reason: z.string().trim().max(LIMITS.reason).optional() }),
      ]),
    )
    .min(1, 'decide at least one tool call')
    .max(LIMITS.decisionsPerRequest),
  /** Unique tool names to always allow in this chat from now on. */
  alwaysAllow: z.array(z.string().min(1).max(64)).max(LIMITS.decisionsPerRequest).default([]),
});

export const eventsInput = z.object({ chatId, lastEventId: z.string().max(64).nullish() });
