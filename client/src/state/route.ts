/** The app's two places: a new chat at `/`, and a chat at `/c/<id>`, kept in the address bar. */
import { createSignal } from 'solid-js';

const [path, setPath] = createSignal(location.pathname);
window.addEventListener('popstate', () => setPath(location.pathname));

export function currentChatId(): string | null {
  const id = /^\/c\/([^/]+)\/?$/.exec(path())?.[1];
  return id ? decodeURIComponent(id) : null;
}

/** Where the person is, as a path a server may send them back to (sign-ins elsewhere come back here). */
export function currentPath(): string {
  return `${path()}${location.search}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  setPath(to);
}

export const chatPath = (chatId: string) => `/c/${encodeURIComponent(chatId)}`;

/** Bumped by each visit to a message, so that choosing the same message again scrolls to it again. */
const [messageVisits, setMessageVisits] = createSignal(0);

/** The message the address points at (`/c/<id>?message=<message id>`, from a search result), if any, and which visit to it this is. */
export function targetMessage(): { messageId: string; visit: number } | null {
  path();
  const messageId = new URLSearchParams(location.search).get('message');
  return messageId ? { messageId, visit: messageVisits() } : null;
}

/** Opens the chat at one of its messages. */
export function navigateToMessage(chatId: string, messageId: string): void {
  history.pushState(null, '', `${chatPath(chatId)}?message=${encodeURIComponent(messageId)}`);
  setPath(location.pathname);
  setMessageVisits((visits) => visits + 1);
}
