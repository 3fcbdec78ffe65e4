import type { ChatEvent, ChatHistory } from './chat-events.ts';

/** Where the web chat shows a chat: `/c/<id>`. */
export const chatPath = (chatId: string) => `/c/${encodeURIComponent(chatId)}`;

/** The chat a web chat path shows, if it shows one. */
export function chatIdOfPath(path: string): string | undefined {
  const match = /^\/c\/([^/?#]+)/.exec(path);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** A chat as clients see it: plain data with ISO dates. */
export interface ChatDto {
  id: string;
  threadId: string;
  title: string;
  /** Catalogue server ids whose tools the model sees in this chat. */
  enabledServers: string[];
  /** Tools (unique names) the owner chose to always allow in this chat. */
  alwaysAllowed: string[];
  /**
   * Server id → the root URIs (folders) the owner lets that server see in this chat, chosen among
   * those its admin allows (`ServerDto.roots`); one the admin has since removed is not offered.
   */
  roots: Record<string, string[]>;
  /** What the owner tells the model in this chat only (`chats.setSystemPrompt`); empty when nothing. */
  systemPrompt: string;
  /** The catalogue model the chat answers with (`chats.setModel`); null: the catalogue's default. */
  modelId: string | null;
  createdAt: string;
  updatedAt: string;
  /** When the owner pinned it (`chats.pin`): pinned chats head the list, most recently pinned first. */
  pinnedAt: string | null;
  /** When the owner archived it (`chats.archive`): it leaves the list (`chats.list` with `archived: true` shows it) and stays searchable. */
  archivedAt: string | null;
}

export interface ChatPageDto {
  items: ChatDto[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A piece of a search result's text; `match` pieces are what the search found (shown highlighted). */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

/**
 * `chats.search`: a message (`messageId` and its `role`) or a chat's title (`messageId` and `role`
 * null) that matches, best first. `snippet` is plain text in pieces, never HTML.
 */
export interface ChatSearchResult {
  chatId: string;
  chatTitle: string;
  archived: boolean;
  messageId: string | null;
  role: 'user' | 'assistant' | null;
  snippet: SnippetSegment[];
  /** When the message was written, or the chat last active for a title. */
  at: string;
}

/** `chats.get`: the chat, its history, and the event id to subscribe from so nothing is missed. */
export interface ChatWithHistory {
  chat: ChatDto;
  history: ChatHistory;
  /** Pass as `lastEventId` to `chats.events`; apply events idempotently (by message and tool-call id). */
  cursor: string;
}

/**
 * What `chats.events` yields: the chat's events, or `reset` when the events missed since
 * `lastEventId` are no longer available (a long disconnect, a server restart): reload with `chats.get`.
 */
export type ChatStreamEvent = ChatEvent | { type: 'reset'; reason: string };

/** One approval waiting in one of the person's chats, as `chats.inbox` lists it. */
export interface InboxEntry {
  chatId: string;
  chatTitle: string;
  /** The pending approval's id, as `chats.decide` quotes it. */
  interruptId: string;
  /** The titles of the tools it asks about, in order. */
  tools: string[];
  /** ISO time it was raised. */
  since: string;
}

/**
 * What changed in a person's chats, for every tab and instance (`chats.changes`): the chat list
 * and the approval inbox follow these instead of reading the list again.
 */
export type PersonEvent =
  | { type: 'chat_created'; chat: ChatDto }
  /** A title, servers, instructions, or activity that moves the chat up the list. */
  | { type: 'chat_updated'; chat: ChatDto }
  | { type: 'chat_deleted'; chatId: string }
  /** The chat's waiting approval, or null once it waits for none. */
  | { type: 'inbox_changed'; chatId: string; entry: InboxEntry | null };

/** What `chats.changes` yields: `reset` when the events missed since `lastEventId` are gone; reload the list and the inbox. */
export type PersonStreamEvent = PersonEvent | { type: 'reset'; reason: string };
