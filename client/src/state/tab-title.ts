/**
 * The tab's title starts with how many approvals wait, "(2) Countersign", before whatever title the
 * page gives itself (the open chat's sets its own): a title set later gets the count put back.
 */
import { createEffect, onCleanup } from 'solid-js';

/** Call inside a component: the title is left alone once it is gone. */
export function countInTabTitle(count: () => number): void {
  let prefix = '';
  const apply = () => {
    const title = document.title;
    const base = prefix && title.startsWith(prefix) ? title.slice(prefix.length) : title;
    prefix = count() > 0 ? `(${count()}) ` : '';
    if (title !== prefix + base) document.title = prefix + base;
  };
  createEffect(apply);
  const observer = new MutationObserver(apply);
  observer.observe(document.head, { childList: true, characterData: true, subtree: true });
  onCleanup(() => observer.disconnect());
}
