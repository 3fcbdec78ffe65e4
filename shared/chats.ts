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
  createdAt: string;
  updatedAt: string;
}

export interface ChatPageDto {
  items: ChatDto[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
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
