/** The sidebar's chats, most recent first, filtered by the search box. */
import { For, onMount, Show } from 'solid-js';
import { chats, listedChats, loadChats } from '../state/chats.ts';
import { ChatListItem } from './ChatListItem.tsx';

export function ChatList(props: { onOpen: () => void }) {
  onMount(() => void loadChats());
  const searching = () => chats.search.trim() !== '';
  return (
    <div class="chat-list-wrap">
      <Show when={chats.error}>
        <div class="inline-error" role="alert">
          <span>Could not load your chats: {chats.error}</span>
          <button type="button" class="link-button" onClick={() => void loadChats()}>
            Try again
          </button>
        </div>
      </Show>
      <ul class="chat-list" aria-busy={chats.loading}>
        <For each={listedChats()}>{(chat) => <ChatListItem chat={chat} onOpen={props.onOpen} />}</For>
      </ul>
      <Show when={!chats.loading && !chats.error && listedChats().length === 0}>
        <p class="muted small-text list-empty">{searching() ? 'No chat title matches.' : 'No chats yet.'}</p>
      </Show>
      <Show when={chats.nextCursor}>
        <button type="button" class="link-button load-more" disabled={chats.loading} onClick={() => void loadChats(true)}>
          Show more
        </button>
      </Show>
    </div>
  );
}
