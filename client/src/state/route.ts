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
