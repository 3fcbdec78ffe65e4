/** Searches chats by title; Escape clears the search. */
import { chats, setChatSearch } from '../state/chats.ts';
import { Icon } from './Icon.tsx';

export function ChatSearch() {
  return (
    <label class="search">
      <Icon name="search" size={16} />
      <input
        type="search"
        class="search-input"
        placeholder="Search chats"
        aria-label="Search chats by title"
        value={chats.search}
        onInput={(e) => setChatSearch(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && chats.search) {
            e.preventDefault();
            setChatSearch('');
          }
        }}
      />
    </label>
  );
}
