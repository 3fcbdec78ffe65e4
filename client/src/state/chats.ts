/**
 * The person's chats: the sidebar's list (most recent first, searched by title on the server)
 * and every chat this page has seen, by id, so the open chat is known even when it is not on
 * the list's first page.
 */
import { createStore, produce } from 'solid-js/store';
import { api } from '../api/client.ts';
import { errorMessage, goToSignIn, isSignedOut } from '../api/errors.ts';
import type { ChatDto } from '../api/types.ts';

const PAGE_SIZE = 30;

interface ChatsState {
  byId: Record<string, ChatDto>;
  /** The list as the server ordered it, for the current search. */
  order: string[];
  nextCursor: string | null;
  search: string;
  loading: boolean;
  error: string | null;
}

const [state, setState] = createStore<ChatsState>({ byId: {}, order: [], nextCursor: null, search: '', loading: false, error: null });
/** Answers to an older search must not overwrite a newer one's. */
let generation = 0;

export const chats = state;

export function listedChats(): ChatDto[] {
  return state.order.map((id) => state.byId[id]).filter((chat): chat is ChatDto => chat !== undefined);
}

export async function loadChats(more = false): Promise<void> {
  const mine = more ? generation : ++generation;
  setState({ loading: true, error: null });
  try {
    const search = state.search.trim() || undefined;
    const page = await api.chats.list.query({ limit: PAGE_SIZE, search, cursor: more ? (state.nextCursor ?? undefined) : undefined });
    if (mine !== generation) return;
    setState(
      produce((s) => {
        // Merged into the existing entry, not replaced: the sidebar keys its items by object, and a
        // replaced object would remount the item, closing a rename or delete dialog open on it.
        for (const chat of page.items) {
          const entry = s.byId[chat.id];
          if (entry) Object.assign(entry, chat);
          else s.byId[chat.id] = chat;
        }
        const ids = page.items.map((chat) => chat.id);
        s.order = more ? [...s.order, ...ids.filter((id) => !s.order.includes(id))] : ids;
        s.nextCursor = page.nextCursor;
      }),
    );
  } catch (error) {
    if (isSignedOut(error)) goToSignIn();
    if (mine === generation) setState('error', errorMessage(error));
  } finally {
    if (mine === generation) setState('loading', false);
  }
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;

export function setChatSearch(text: string): void {
  setState('search', text);
  clearTimeout(searchTimer);
  // Waits for a pause in typing, so each keystroke does not cost a request.
  searchTimer = setTimeout(() => void loadChats(), 200);
}

/** Remembers a chat as the server last returned it. */
export function rememberChat(chat: ChatDto): void {
  setState('byId', chat.id, chat);
}

/** A chat created or changed in any tab (person-stream.ts): remembered, and moved up the list when it was active since. */
export function placeChat(chat: ChatDto): void {
  const before = state.byId[chat.id]?.updatedAt;
  rememberChat(chat);
  if (before === undefined || before < chat.updatedAt) moveChatToTop(chat.id);
}

/** A chat deleted in any tab leaves the list. */
export function forgetChat(chatId: string): void {
  setState(
    produce((s) => {
      delete s.byId[chatId];
      s.order = s.order.filter((id) => id !== chatId);
    }),
  );
}

/** A message was just sent in this chat: it is now the most recent. */
export function moveChatToTop(chatId: string): void {
  if (state.search.trim() !== '' || !state.byId[chatId]) return;
  setState('order', (order) => [chatId, ...order.filter((id) => id !== chatId)]);
}

export async function createChat(enabledServers: string[]): Promise<ChatDto> {
  const chat = await api.chats.create.mutate({ enabledServers });
  rememberChat(chat);
  moveChatToTop(chat.id);
  return chat;
}

export async function renameChat(chatId: string, title: string): Promise<void> {
  rememberChat(await api.chats.rename.mutate({ chatId, title }));
}

export async function setChatServers(chatId: string, enabledServers: string[]): Promise<void> {
  rememberChat(await api.chats.setServers.mutate({ chatId, enabledServers }));
}

/** `servers.connect` with a chat id turns the server on in that chat: mirror that here. */
export function addServerToChat(chatId: string, serverId: string): void {
  if (!state.byId[chatId] || state.byId[chatId].enabledServers.includes(serverId)) return;
  setState('byId', chatId, 'enabledServers', (ids) => [...ids, serverId]);
}

export async function deleteChat(chatId: string): Promise<void> {
  await api.chats.delete.mutate({ chatId });
  forgetChat(chatId);
}
