/**
 * The console's few routes, kept in the URL under /admin so reload and back work. A signal holds
 * the path; `navigate` pushes history, and `link` makes plain anchors navigate without reloading.
 */
import { createSignal } from 'solid-js';

export const BASE = '/admin';
const [path, setPath] = createSignal(current());

function current(): string {
  const rest = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '/';
  return rest === '' ? '/' : rest;
}

window.addEventListener('popstate', () => setPath(current()));

export { path };

export function navigate(to: string): void {
  history.pushState(null, '', BASE + to);
  setPath(current());
  window.scrollTo(0, 0);
}

/** onClick for anchors: a plain click navigates in place; modified clicks open tabs as usual. */
export function link(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.pathname.slice(BASE.length) || '/');
}
