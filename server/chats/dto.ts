import type { ChatDto } from '../../shared/chats.ts';
import type { ChatRow } from './chat-store.ts';

export function toChatDto(row: ChatRow): ChatDto {
  return {
    id: row.id,
    threadId: row.threadId,
    title: row.title,
    enabledServers: row.enabledServers,
    alwaysAllowed: row.alwaysAllowed,
    roots: row.roots,
    systemPrompt: row.systemPrompt,
    modelId: row.modelId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    pinnedAt: row.pinnedAt?.toISOString() ?? null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}
