/** The sidebar's chats: the pinned ones in their own group, then the rest, most recent first. */
import { For, onMount, Show } from 'solid-js';
import { chats, loadChats, pinnedChats, recentChats } from '../state/chats.ts';
import { ChatListItem } from './ChatListItem.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ChatList(props: { onOpen: () => void }) {
  onMount(() => void loadChats());
  return (
    <div class="chat-list-wrap">
      <Show when={chats.error}>
        <div class="inline-error" role="alert">
          <span>{t('chatList.couldNotLoad', String(chats.error))}</span>
          <button type="button" class="link-button" onClick={() => void loadChats()}>
            {t('common.tryAgain')}
          </button>
        </div>
      </Show>
      <Show when={pinnedChats().length > 0}>
        <h2 class="chat-group-heading" id="pinned-chats">
          {t('chatList.pinned')}
        </h2>
        <ul class="chat-list" aria-labelledby="pinned-chats">
          <For each={pinnedChats()}>{(chat) => <ChatListItem chat={chat} onOpen={props.onOpen} />}</For>
        </ul>
        <h2 class="chat-group-heading" id="recent-chats">
          {t('chatList.recent')}
        </h2>
      </Show>
      <ul class="chat-list" aria-busy={chats.loading} aria-labelledby={pinnedChats().length > 0 ? 'recent-chats' : undefined}>
        <For each={recentChats()}>{(chat) => <ChatListItem chat={chat} onOpen={props.onOpen} />}</For>
      </ul>
      <Show when={!chats.loading && !chats.error && pinnedChats().length + recentChats().length === 0}>
        <p class="muted small-text list-empty">{t('chatList.empty')}</p>
      </Show>
      <Show when={chats.nextCursor}>
        <button type="button" class="link-button load-more" disabled={chats.loading} onClick={() => void loadChats(true)}>
          {t('chatList.showMore')}
        </button>
      </Show>
    </div>
  );
}
