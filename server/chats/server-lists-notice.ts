/**
 * Tells a person's open chats that one of their servers changed its prompts or resources (or went
 * away or came back), so the composer lists them again: a `server_lists_changed` event on the
 * chats that use that server. The MCP layer hears the change on the instance holding the person's
 * connection; chat events reach their tabs on any instance.
 */
import type { ChatEvent } from '../../shared/chat-events.ts';
import type { Logger } from '../log.ts';
import type { ChatStore } from './chat-store.ts';
import type { EventHub } from './event-hub.ts';

/** The most recently active chats told; any other chat's composer lists afresh each time a picker opens anyway. */
const CHATS_TOLD = 20;

/** What the MCP layer reports (its ToolsChangedEvent): `lists` absent, any list may have changed. */
export interface ListsChanged {
  userId: string;
  serverId: string;
  lists?: ('tools' | 'prompts' | 'resources')[];
}

export function announceListChanges(hub: EventHub<ChatEvent>, chats: ChatStore, log: Logger) {
  return async ({ userId, serverId, lists }: ListsChanged): Promise<void> => {
    if (lists && !lists.includes('prompts') && !lists.includes('resources')) return;
    try {
      for (const chat of await chats.withServer(userId, serverId, CHATS_TOLD)) {
        hub.publish(chat.id, { type: 'server_lists_changed', threadId: chat.threadId, serverId });
      }
    } catch (error) {
      log.warn('telling chats a server’s lists changed failed', { userId, serverId, error });
    }
  };
}
