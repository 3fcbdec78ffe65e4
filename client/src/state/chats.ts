/**
 * The person's chats: the sidebar's list (pinned ones first, then most recent first), the
 * archived ones apart, and every chat this page has seen, by id, so the open chat is known even
 * when it is not on the list's first page.
 */
import { createStore, produce } from 'solid-js/store';
import { LIMITS } from '../../../shared/limits.ts';
import { api } from '../api/client.ts';
import { errorMessage, goToSignIn, isSignedOut } from '../api/errors.ts';
import type { ChatDto } from '../api/types.ts';
import { takeNewChatModel } from './new-chat.ts';

const PAGE_SIZE = 30;

interface ChatsState {
  byId: Record<string, ChatDto>;
  /** The list as the server ordered it. */
  order: string[];
  nextCursor: string | null;
  /** The archived chats, most recent first, once the person asked to see them. */
  archived: string[];
  loading: boolean;
  error: string | null;
}

const [state, setState] = createStore<ChatsState>({ byId: {}, order: [], nextCursor: null, archived: [], loading: false, error: null });
/** Answers to an older load must not overwrite a newer one's. */
let generation = 0;

export const chats = state;

const chatsOf = (ids: string[]) => ids.map((id) => state.byId[id]).filter((chat): chat is ChatDto => chat !== undefined);

/** A chat archived or pinned since the list was loaded (here or in another tab) is placed by what it is now. */
const listed = () => chatsOf(state.order).filter((chat) => chat.archivedAt === null);

/** The "Pinned" group: most recently pinned first. */
export function pinnedChats(): ChatDto[] {
  return listed()
    .filter((chat) => chat.pinnedAt !== null)
    .sort((a, b) => b.pinnedAt!.localeCompare(a.pinnedAt!));
}

export function recentChats(): ChatDto[] {
  return listed().filter((chat) => chat.pinnedAt === null);
}

export function archivedChats(): ChatDto[] {
  return chatsOf(state.archived).filter((chat) => chat.archivedAt !== null);
}

export async function loadChats(more = false): Promise<void> {
  const mine = more ? generation : ++generation;
  setState({ loading: true, error: null });
  try {
    const page = await api.chats.list.query({ limit: PAGE_SIZE, cursor: more ? (state.nextCursor ?? undefined) : undefined });
    if (mine !== generation) return;
    setState(
      produce((s) => {
        merge(s, page.items);
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

/** The archived chats (at most a page: a person rarely digs further), for the sidebar's "Archived chats". */
export async function loadArchivedChats(): Promise<void> {
  const page = await api.chats.list.query({ limit: LIMITS.pageSize, archived: true });
  setState(
    produce((s) => {
      merge(s, page.items);
      s.archived = page.items.map((chat) => chat.id);
    }),
  );
}

/** Merged into the existing entry, not replaced: the sidebar keys its items by object, and a
 * replaced object would remount the item, closing a rename or delete dialog open on it. */
function merge(s: ChatsState, items: ChatDto[]): void {
  for (const chat of items) {
    const entry = s.byId[chat.id];
    if (entry) Object.assign(entry, chat);
    else s.byId[chat.id] = chat;
  }
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
      s.archived = s.archived.filter((id) => id !== chatId);
    }),
  );
}

/** A message was just sent in this chat: it is now the most recent. */
export function moveChatToTop(chatId: string): void {
  if (!state.byId[chatId]) return;
  setState('order', (order) => [chatId, ...order.filter((id) => id !== chatId)]);
}

/** A new chat, on the model chosen for it in the new-chat view if any (the server starts it on the person's last choice). */
export async function createChat(enabledServers: string[]): Promise<ChatDto> {
  const created = await api.chats.create.mutate({ enabledServers });
  const modelId = takeNewChatModel();
  const chat = modelId && modelId !== created.modelId ? await api.chats.setModel.mutate({ chatId: created.id, modelId }) : created;
  rememberChat(chat);
  moveChatToTop(chat.id);
  return chat;
}

export async function renameChat(chatId: string, title: string): Promise<void> {
  rememberChat(await api.chats.rename.mutate({ chatId, title }));
}

export async function pinChat(chatId: string, pinned: boolean): Promise<void> {
  rememberChat(await api.chats.pin.mutate({ chatId, pinned }));
}

/** Archiving takes the chat off the list (and unpins it); unarchiving puts it back by its last activity. */
export async function archiveChat(chatId: string, archived: boolean): Promise<void> {
  rememberChat(await api.chats.archive.mutate({ chatId, archived }));
  setState('archived', (ids) => (archived ? [chatId, ...ids.filter((id) => id !== chatId)] : ids.filter((id) => id !== chatId)));
  if (!archived && !state.order.includes(chatId)) await loadChats();
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
