/**
 * Input schemas of the `servers` procedures: a catalogue server, a person's own setting for one of
 * its tools, a resource to read, and a chat's prompts and resources (a prompt to fill in, an
 * argument to complete).
 */
import { z } from 'zod';
import { LIMITS } from '../limits.ts';

export const serverId = z.string().min(1).max(64);

export const serverRef = z.object({ serverId });

export const connectInput = z.object({ serverId, chatId: z.uuid().optional() });

export const toolPreferenceInput = z.object({
  serverId,
  toolName: z.string().min(1).max(128),
  policy: z.enum(['ask', 'deny']).nullable(),
});

/** The bound tool cards keep on a URI (server/agent/tool-media.ts): longer ones are data, not addresses. */
export const resourceUri = z.string().min(1).max(2048);

export const readResourceInput = z.object({ serverId, uri: resourceUri });

/** The prompts or resources of a chat's servers. (chats.ts imports this file, so its chatId cannot be imported here.) */
export const chatServersInput = z.object({ chatId: z.uuid({ error: 'chatId must be a chat id (a UUID).' }) });

/** A prompt's name, or the name of one of its arguments or of a template's variables. */
const name = z.string().min(1).max(200);

const argumentValue = z.string().max(LIMITS.promptArgument);

/** What the person filled in, by argument name. */
const filledIn = z
  .record(name, argumentValue)
  .refine((values) => Object.keys(values).length <= LIMITS.promptArguments, `At most ${LIMITS.promptArguments} arguments can be given.`);

export const getPromptInput = z.object({ serverId, name, arguments: filledIn.default({}) });

export const completeInput = z.object({
  serverId,
  /** The prompt by name, or the resource template by its URI template. */
  ref: z.discriminatedUnion('type', [
    z.object({ type: z.literal('prompt'), name }),
    z.object({ type: z.literal('resource'), uri: resourceUri }),
  ]),
  argument: z.object({ name, value: argumentValue }),
  /** The other arguments filled in so far. */
  context: filledIn.optional(),
});
