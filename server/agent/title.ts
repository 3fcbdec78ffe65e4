/** A chat's title, written by the model from the first exchange; the person's first words (or files' names) if that fails. */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { DEFAULT_CHAT_TITLE } from '../../shared/chat-title.ts';
import { titlePrompt } from './prompts.ts';

const TITLE_LIMIT = 60;

export async function generateTitle(model: BaseChatModel, exchange: { user: string; assistant: string }): Promise<string> {
  const reply = await model.invoke([
    new SystemMessage(titlePrompt),
    new HumanMessage(`Person: ${exchange.user.slice(0, 2_000)}\n\nAssistant: ${exchange.assistant.slice(0, 2_000)}`),
  ]);
  return cleanTitle(reply.text) || fallbackTitle(exchange.user);
}

/** Models like to add quotes, a "Title:" prefix, or a full stop; none of that belongs in a chat list. */
export function cleanTitle(raw: string): string {
  const line = raw.split('\n').find((l) => l.trim().length > 0) ?? '';
  // A title keeps 60 characters; the end-anchored patterns below would scan a long line quadratically.
  const bare = line
    .slice(0, 4 * TITLE_LIMIT)
    .trim()
    .replace(/^(title|chat title)\s*:\s*/i, '')
    .replace(/^["'“”‘’*#\s]+|["'“”‘’*\s]+$/g, '')
    .replace(/[.!?;:,]+$/, '')
    .replace(/\s+/g, ' ');
  return shorten(bare);
}

/** What a title is made from on the person's side: their words, or the names of the files they sent without any. */
export function titleSubject(message: { text: string; files?: readonly { name: string }[] } | undefined): string {
  return message?.text.trim() || (message?.files ?? []).map((file) => file.name).join(', ');
}

export function fallbackTitle(userText: string): string {
  return shorten(userText.replace(/\s+/g, ' ').trim()) || DEFAULT_CHAT_TITLE;
}

function shorten(text: string): string {
  if (text.length <= TITLE_LIMIT) return text;
  const cut = text.slice(0, TITLE_LIMIT);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > TITLE_LIMIT / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
