/**
 * A server's prompts through a person's connection: `prompts/list` (every page, the first
 * MAX_LISTED kept) and `prompts/get` with the person's arguments, as plain data. A server that
 * does not declare prompts has none; asking it would only be refused. Bounding what is shown of
 * a prompt is the caller's: this layer hands over what came, images and audio named, not carried.
 */
import type { ContentBlock, Prompt } from '@modelcontextprotocol/client';
import { failureOf, type Outcome } from './request-outcome.ts';
import { bounded } from './server-lists.ts';
import type { ToolClient } from './transports.ts';

export interface PromptInfo {
  name: string;
  title?: string;
  description?: string;
  arguments: { name: string; description?: string; required: boolean }[];
}

/** `more`: how many prompts past the first MAX_LISTED were left out. */
export type PromptListing = Outcome<{ prompts: PromptInfo[]; more: number }>;

/** One piece of a prompt message: its text, or what it is when it is not text. */
export type PromptContent =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio'; mimeType: string }
  /** An embedded resource (with its text, when it is text), or a link to one. */
  | { type: 'resource'; uri: string; mimeType?: string; text?: string }
  | { type: 'other'; name: string };

export type FilledPrompt = Outcome<{ description?: string; messages: { role: 'user' | 'assistant'; content: PromptContent }[] }>;

export async function listPrompts(client: ToolClient, serverName: string, timeoutMs: number): Promise<PromptListing> {
  if (!client.getServerCapabilities()?.prompts) return { ok: true, prompts: [], more: 0 };
  try {
    // Without a cursor the SDK walks every page; `bypass`: the connection keeps the list itself.
    const { prompts } = await client.listPrompts(undefined, { timeout: timeoutMs, cacheMode: 'bypass' });
    const { items, more } = bounded(prompts);
    return { ok: true, prompts: items.map(promptInfo), more };
  } catch (error) {
    return failureOf(error, serverName, `list the prompts of ${serverName}`, timeoutMs);
  }
}

export async function getPrompt(
  client: ToolClient,
  serverName: string,
  name: string,
  args: Record<string, string>,
  timeoutMs: number,
): Promise<FilledPrompt> {
  try {
    const { description, messages } = await client.getPrompt({ name, arguments: args }, { timeout: timeoutMs });
    return {
      ok: true,
      ...(description ? { description } : {}),
      messages: messages.map((message) => ({ role: message.role, content: contentOf(message.content) })),
    };
  } catch (error) {
    return failureOf(error, serverName, `get the prompt ${name} from ${serverName}`, timeoutMs);
  }
}

function promptInfo({ name, title, description, arguments: args = [] }: Prompt): PromptInfo {
  return {
    name,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    arguments: args.map((arg) => ({
      name: arg.name,
      ...(arg.description ? { description: arg.description } : {}),
      required: arg.required ?? false,
    })),
  };
}

function contentOf(block: ContentBlock): PromptContent {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
    case 'audio':
      return { type: block.type, mimeType: block.mimeType };
    case 'resource_link':
      return { type: 'resource', uri: block.uri, ...(block.mimeType ? { mimeType: block.mimeType } : {}) };
    case 'resource': {
      const { uri, mimeType } = block.resource;
      return {
        type: 'resource',
        uri,
        ...(mimeType ? { mimeType } : {}),
        ...('text' in block.resource ? { text: block.resource.text } : {}),
      };
    }
    default:
      return { type: 'other', name: (block as { type: string }).type };
  }
}
