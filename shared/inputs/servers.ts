/** Input schemas of the `servers` procedures: a catalogue server, a person's own setting for one of its tools, a resource to read. */
import { z } from 'zod';

export const serverId = z.string().min(1).max(64);

export const serverRef = z.object({ serverId });

export const connectInput = z.object({ serverId, chatId: z.uuid().optional() });

export const toolPreferenceInput = z.object({
  serverId,
  toolName: z.string().min(1).max(128),
  policy: z.enum(['ask', 'deny']).nullable(),
});

/** The bound tool cards keep on a URI (server/agent/tool-media.ts): longer ones are data, not addresses. */
export const readResourceInput = z.object({ serverId, uri: z.string().min(1).max(2048) });
