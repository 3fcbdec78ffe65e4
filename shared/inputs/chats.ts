/**
 * Input schemas of the chat procedures, with every size bounded. Messages a person may meet in
 * the web chat are sentences written for them; the API's error formatter words the rest.
 */
import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { resourceUri, serverId } from './servers.ts';

/** Says how long the text is as well as the limit, so the person knows how much to cut. */
const tooLong =
  (what: string, limit: number, is = 'is') =>
  (issue: { input?: unknown }) =>
    `${what} ${is} ${String(issue.input ?? '').length.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}.`;

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
    /** Only the archived chats (which the list otherwise leaves out). */
    archived: z.boolean().default(false),
  })
  .default({ limit: 30, archived: false });

export const searchChatsInput = z.object({
  query: z
    .string()
    .trim()
    .min(1, 'The search is empty; type a word to look for.')
    .max(LIMITS.search, { error: tooLong('The search', LIMITS.search) }),
  limit: z.number().int().min(1).max(LIMITS.searchResults).default(20),
});

export const pinChatInput = z.object({ chatId, pinned: z.boolean({ error: 'pinned must be true or false.' }) });

export const archiveChatInput = z.object({ chatId, archived: z.boolean({ error: 'archived must be true or false.' }) });

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

/** Instructions for the model, which a person writes; empty clears them. `what` is plural: “The chat’s instructions”. */
export const instructionsText = (what: string) =>
  z
    .string()
    .trim()
    .max(LIMITS.instructions, { error: tooLong(what, LIMITS.instructions, 'are') });

export const setSystemPromptInput = z.object({ chatId, systemPrompt: instructionsText('The chat’s instructions') });

/** A catalogue model (`models.list`) for the chat, or null for the catalogue's default. */
export const setModelInput = z.object({
  chatId,
  modelId: z.string({ error: 'modelId must be a model id from models.list, or null.' }).min(1).max(64).nullable(),
});

/** The roots (of those the server's admin allows) the chat offers the server: the whole list, empty for none. */
export const setRootsInput = z.object({
  chatId,
  serverId,
  uris: z
    .array(
      z
        .string()
        .min(1)
        .max(LIMITS.rootUri, `A root URI is at most ${LIMITS.rootUri.toLocaleString('en-US')} characters.`),
    )
    .max(LIMITS.rootsPerServer, `A chat offers a server at most ${LIMITS.rootsPerServer} roots.`),
});

/** A hard cap on the ids a send may name; MESSAGE_MAX_FILES, the deployment's limit, is checked when it is sent. */
const MAX_FILES_NAMED = 50;

/** A message is text, files, or both: files alone are sent as they are (an image to look at, a file to read). */
export const sendInput = z
  .object({
    chatId,
    text: z
      .string()
      .trim()
      .max(LIMITS.message, { error: tooLong('The message', LIMITS.message) }),
    /** Resources to read through the person's own connections and give the model with the message. */
    attachments: z
      .array(z.object({ serverId, uri: resourceUri }))
      .max(LIMITS.attachments, `At most ${LIMITS.attachments} resources can be attached to one message.`)
      .default([]),
    /** Files uploaded to this chat (files.upload) for the message to carry; the deployment's own limit is checked when it is sent. */
    files: z
      .array(z.uuid({ error: 'Each file must be a file id (a UUID) that files.upload returned.' }))
      .max(MAX_FILES_NAMED, `A message can name at most ${MAX_FILES_NAMED} files.`)
      .default([]),
  })
  .refine((input) => input.text !== '' || input.files.length > 0, {
    error: 'The message is empty; write something to send.',
    path: ['text'],
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

/** One field's value in an elicitation form: what the requested schema allows (checked against it by the server). */
const elicitationValue = z.union([z.string().max(LIMITS.message), z.number(), z.boolean(), z.array(z.string().max(1000)).max(100)]);

export const answerQuestionInput = z.object({
  chatId,
  questionId: z.uuid({ error: 'questionId must be a question id (a UUID).' }),
  answer: z.discriminatedUnion('action', [
    z.object({ action: z.literal('accept'), content: z.record(z.string().max(200), elicitationValue).optional() }),
    z.object({ action: z.literal('decline') }),
    z.object({ action: z.literal('cancel') }),
    z.object({ action: z.literal('approve') }),
    z.object({ action: z.literal('reject') }),
  ]),
});

export const eventsInput = z.object({ chatId, lastEventId: z.string().max(64).nullish() });

export const exportChatInput = z.object({
  chatId,
  format: z.enum(['markdown', 'json'], { error: "format must be 'markdown' or 'json'." }),
});

export const changesInput = z.object({ lastEventId: z.string().max(64).nullish() }).default({});

/** A message of the chat, by the id its history gives it. */
const messageId = z.string().min(1).max(200);

export const editMessageInput = z.object({
  chatId,
  messageId,
  text: z
    .string()
    .trim()
    .min(1, 'The message is empty; write something to send.')
    .max(LIMITS.message, { error: tooLong('The message', LIMITS.message) }),
});

/** `messageId`: an answer to write again (`regenerate`), or the version of a message to show (`switchBranch`). */
export const messageRef = z.object({ chatId, messageId });
