/**
 * What the sidebar search found: chat titles and messages, each with its matching words
 * highlighted (`<mark>`, from the server's plain-text pieces). Choosing a message opens its chat
 * there. How many were found is announced.
 */
import { For, Show } from 'solid-js';
import type { ChatSearchResult } from '../../../shared/chats.ts';
import { chatPath, navigate, navigateToMessage } from '../state/route.ts';
import { search } from '../state/search.ts';
import { t } from '../../../shared/i18n/t.ts';
import { shownTitle } from '../lib/chat-title.ts';

export function SearchResults(props: { onOpen: () => void }) {
  const status = () => {
    if (search.error) return t('search.failed', search.error);
    if (search.searched !== search.query.trim()) return t('search.searching');
    return search.results.length === 0 ? t('search.nothing', search.searched) : t('search.found', search.results.length);
  };
  return (
    <div class="search-results" id="search-results">
      <p class="muted small-text list-empty" role="status">
        {status()}
      </p>
      <Show when={search.results.length > 0}>
        <ul class="chat-list" aria-label={t('search.results')} aria-busy={search.loading}>
          <For each={search.results}>{(result) => <SearchResultItem result={result} onOpen={props.onOpen} />}</For>
        </ul>
      </Show>
    </div>
  );
}

function SearchResultItem(props: { result: ChatSearchResult; onOpen: () => void }) {
  const href = () =>
    props.result.messageId
      ? `${chatPath(props.result.chatId)}?message=${encodeURIComponent(props.result.messageId)}`
      : chatPath(props.result.chatId);
  const open = (event: MouseEvent) => {
    // Let the browser handle new-tab and new-window clicks.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (props.result.messageId) navigateToMessage(props.result.chatId, props.result.messageId);
    else navigate(chatPath(props.result.chatId));
    props.onOpen();
  };
  const where = () =>
    props.result.messageId ? t(props.result.role === 'user' ? 'search.youWrote' : 'search.assistantWrote') : t('search.chatTitle');
  return (
    <li class="chat-item search-result">
      <a class="chat-link" href={href()} onClick={open}>
        <span class="search-result-title">
          {shownTitle(props.result.chatTitle)}
          <Show when={props.result.archived}>
            <span class="badge">{t('search.archived')}</span>
          </Show>
        </span>
        <span class="search-result-snippet">
          <span class="visually-hidden">{where()}: </span>
          <For each={props.result.snippet}>{(segment) => (segment.match ? <mark>{segment.text}</mark> : segment.text)}</For>
        </span>
      </a>
    </li>
  );
}
