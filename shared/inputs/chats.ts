/**
 * Input schemas of the chat procedures, with every size bounded. Messages a person may meet in
 * the web chat are sentences written for them; the API's error formatter words the rest.
 */
import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { serverId } from './servers.ts';

/** Says how long the text is as well as the limit, so the person knows how much to cut. */
const tooLong = (what: string, limit: number) => (issue: { input?: unknown }) =>
  `${what} is ${String(issue.input ?? '').length.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}.`;

const title = z
  .string()
  .trim()
  .min(1, 'The title is empty; give the chat a name.')
  .max(LIMITS.title, { error: tooLong('The title', LIMITS.title) });

export const chatId = z.uuid({ error: 'chatId must be a chat id (a UUID).' });

export const listChatsInput = z
  .object({
    limit: z.number().int().min(1).max(LIMITS.pageSize).default(30),
    cursor: z.string().max(100).optional(),
    search: z
      .string()
      .trim()
      .max(LIMITS.search, { error: tooLong('The search', LIMITS.search) })
      .optional(),
  })
  .default({ limit: 30 });

export const createChatInput = z
  .object({
    title: title.optional(),
    enabledServers: z.array(serverId).max(LIMITS.serversPerChat).optional(),
  })
  .default({});

export const renameChatInput = z.object({ chatId, title });

export const setServersInput = z.object({
  chatId,
  enabledServers: z.array(serverId).max(LIMITS.serversPerChat),
});

export const chatRef = z.object({ chatId });

export const sendInput = z.object({
  chatId,
  text: z
    .string()
    .trim()
    .min(1, 'The message is empty; write something to send.')
    .max(LIMITS.message, { error: tooLong('The message', LIMITS.message) }),
});

const toolCallId = z.string().min(1).max(200);
const editedArguments = z.record(z.string(), z.unknown()).refine((args) => JSON.stringify(args).length <= LIMITS.editedArguments, {
  error: (issue) =>
    `The edited arguments are ${JSON.stringify(issue.input).length.toLocaleString('en-US')} characters of JSON; the limit is ${LIMITS.editedArguments.toLocaleString('en-US')}.`,
});

const decision = z.discriminatedUnion('action', [
  z.object({ toolCallId, action: z.literal('approve') }),
  z.object({ toolCallId, action: z.literal('edit'), arguments: editedArguments }),
  z.object({
    toolCallId,
    action: z.literal('reject'),
    reason: z
      .string()
      .trim()
      .max(LIMITS.reason, { error: tooLong('The reason', LIMITS.reason) })
      .optional(),
  }),
]);
type Decision = z.infer<typeof decision>;

const editedLength = (decisions: Decision[]) =>
  decisions.reduce((sum, d) => sum + (d.action === 'edit' ? JSON.stringify(d.arguments).length : 0), 0);

export const decideInput = z.object({
  chatId,
  interruptId: z.string().min(1).max(200),
  decisions: z
    .array(decision)
    .min(1, 'Decide at least one tool call.')
    .max(LIMITS.decisionsPerRequest)
    .refine((decisions) => editedLength(decisions) <= LIMITS.editedArgumentsPerDecision, {
      error: (issue) =>
        `The edited arguments of this decision are ${editedLength(issue.input as Decision[]).toLocaleString('en-US')} characters of JSON together; the limit is ${LIMITS.editedArgumentsPerDecision.toLocaleString('en-US')}.`,
    }),
  /** Unique tool names to always allow in this chat from now on. */
  alwaysAllow: z.array(z.string().min(1).max(64)).max(LIMITS.decisionsPerRequest).default([]),
});

export const eventsInput = z.object({ chatId, lastEventId: z.string().max(64).nullish() });
