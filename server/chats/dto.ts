import type { ChatRow } from './chat-store.ts';

/** A chat as clients see it: plain data with ISO dates. */
export interface ChatDto {
  id: string;
  threadId: string;
  title: string;
  enabledServers: string[];
  alwaysAllowed: string[];
  createdAt: string;
  updatedAt: string;
}

export function toChatDto(row: ChatRow): ChatDto {
  return {
    id: row.id,
    threadId: row.threadId,
    title: row.title,
    enabledServers: row.enabledServers,
    alwaysAllowed: row.alwaysAllowed,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
