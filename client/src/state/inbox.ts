/**
 * The person's approval inbox: every approval waiting in any of their chats, newest first. Loaded
 * with `chats.inbox`, then kept up to date by the person's stream of changes (person-stream.ts).
 */
import { createStore } from 'solid-js/store';
import type { InboxEntry } from '../../../shared/chats.ts';
import { api } from '../api/client.ts';
import { goToSignIn, isSignedOut } from '../api/errors.ts';

const [state, setState] = createStore<{ entries: InboxEntry[] }>({ entries: [] });

export const inbox = state;

export const inboxCount = () => state.entries.length;

export async function loadInbox(): Promise<void> {
  try {
    setState('entries', await api.chats.inbox.query());
  } catch (error) {
    // The list stays as it was; the next change or reconnect loads it again.
    if (isSignedOut(error)) goToSignIn();
  }
}

/** The chat's waiting approval changed (null: none waits); true when it is one this page had not seen. */
export function applyInboxChange(chatId: string, entry: InboxEntry | null): boolean {
  const isNew = entry !== null && !state.entries.some((known) => known.interruptId === entry.interruptId);
  const others = state.entries.filter((known) => known.chatId !== chatId);
  setState('entries', entry ? [...others, entry].sort((a, b) => b.since.localeCompare(a.since)) : others);
  return isNew;
}

/** A chat was renamed: its entry shows the new title. */
export function renameInInbox(chatId: string, title: string): void {
  setState('entries', (entry) => entry.chatId === chatId, 'chatTitle', title);
}
