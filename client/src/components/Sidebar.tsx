/** The left column: New chat, search (its results in place of the list), the chat list, the archived chats, and the signed-in person. */
import { Show } from 'solid-js';
import type { SessionInfo } from '../api/types.ts';
import { searching } from '../state/search.ts';
import { navigate } from '../state/route.ts';
import { AccountFooter } from './AccountFooter.tsx';
import { ArchivedChats } from './ArchivedChats.tsx';
import { ApprovalInbox } from './ApprovalInbox.tsx';
import { ChatList } from './ChatList.tsx';
import { ChatSearch } from './ChatSearch.tsx';
import { Icon } from './Icon.tsx';
import { SearchResults } from './SearchResults.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function Sidebar(props: { session: SessionInfo; onNavigate: () => void; onClose: () => void }) {
  return (
    <aside class="sidebar" id="sidebar" aria-label={t('sidebar.label')}>
      <div class="sidebar-top">
        <a
          class="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
            props.onNavigate();
          }}
        >
          <img src="/favicon.svg" alt="" width="22" height="22" />
          Countersign
        </a>
        <button type="button" class="icon-button narrow-only" aria-label={t('sidebar.closeSidebar')} onClick={() => props.onClose()}>
          <Icon name="close" />
        </button>
      </div>
      <button
        type="button"
        class="button new-chat"
        onClick={() => {
          navigate('/');
          props.onNavigate();
        }}
      >
        <Icon name="plus" /> {t('sidebar.newChat')}
      </button>
      <ApprovalInbox onOpen={props.onNavigate} />
      <ChatSearch />
      <nav class="sidebar-chats" aria-label={t('sidebar.yourChats')}>
        <Show
          when={searching()}
          fallback={
            <>
              <ChatList onOpen={props.onNavigate} />
              <ArchivedChats onOpen={props.onNavigate} />
            </>
          }
        >
          <SearchResults onOpen={props.onNavigate} />
        </Show>
      </nav>
      <AccountFooter session={props.session} />
    </aside>
  );
}
