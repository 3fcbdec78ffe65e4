/**
 * The web chat's frame: sidebar of chats, the open conversation (or a new one), and the tools
 * panel. On a narrow screen the sidebar slides over the conversation and closes on Escape.
 */
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import type { SessionInfo } from '../api/types.ts';
import { chats } from '../state/chats.ts';
import { inboxCount } from '../state/inbox.ts';
import { followPersonChanges } from '../state/person-stream.ts';
import { currentChatId } from '../state/route.ts';
import { loadServers } from '../state/servers.ts';
import { loadAppearance } from '../state/settings.ts';
import { countInTabTitle } from '../state/tab-title.ts';
import { ChatView } from './ChatView.tsx';
import { NewChatView } from './NewChatView.tsx';
import { ServersPanel } from './ServersPanel.tsx';
import { Sidebar } from './Sidebar.tsx';

export function Shell(props: { session: SessionInfo }) {
  const [sidebarOpen, setSidebarOpen] = createSignal(false);
  const [serversOpen, setServersOpen] = createSignal(false);
  const closeSidebar = () => setSidebarOpen(false);
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && sidebarOpen()) closeSidebar();
  };
  const refreshServers = () => void loadServers();
  countInTabTitle(inboxCount);
  onCleanup(followPersonChanges());
  onMount(() => {
    void loadAppearance();
    refreshServers();
    document.addEventListener('keydown', onKey);
    window.addEventListener('focus', refreshServers);
  });
  onCleanup(() => {
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('focus', refreshServers);
  });

  const openChat = () => {
    const id = currentChatId();
    return id ? chats.byId[id] : undefined;
  };
  const views = {
    session: props.session,
    onToggleSidebar: () => setSidebarOpen((open) => !open),
    onOpenServers: () => setServersOpen(true),
  };

  return (
    <div class="app" classList={{ 'sidebar-open': sidebarOpen() }}>
      <Sidebar session={props.session} onNavigate={closeSidebar} onClose={closeSidebar} />
      <div class="sidebar-backdrop" aria-hidden="true" onClick={closeSidebar} />
      <main class="main">
        <Show when={currentChatId()} keyed fallback={<NewChatView {...views} />}>
          {(chatId) => <ChatView chatId={chatId} {...views} />}
        </Show>
      </main>
      <Show when={serversOpen()}>
        <ServersPanel chat={openChat()} onClose={() => setServersOpen(false)} />
      </Show>
    </div>
  );
}
