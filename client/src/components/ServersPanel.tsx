/**
 * The MCP servers of the catalogue, in a side panel: connect and disconnect them, see their
 * tools, and choose which connected servers the open chat (or the next new chat) uses.
 * Connecting a server from a chat also turns it on for that chat: that is why it was connected.
 * A server whose admin allows folders (roots) lists them, for the open chat to offer it some.
 * Below them, the person's connected accounts: the servers they signed in to.
 */
import { createSignal, For, onMount, Show } from 'solid-js';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import type { ChatDto } from '../api/types.ts';
import { addServerToChat, rememberChat, setChatServers } from '../state/chats.ts';
import { newChatServers, setNewChatServers } from '../state/new-chat.ts';
import { connectServer, disconnectServer, loadServers, servers } from '../state/servers.ts';
import { ConnectedAccounts } from './ConnectedAccounts.tsx';
import { Dialog } from './Dialog.tsx';
import { Icon } from './Icon.tsx';
import { ServerCard } from './ServerCard.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ServersPanel(props: { chat: ChatDto | undefined; onClose: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  onMount(() => void loadServers());

  const inUse = () => props.chat?.enabledServers ?? newChatServers();
  const use = async (serverId: string, on: boolean) => {
    const next = on ? [...new Set([...inUse(), serverId])] : inUse().filter((id) => id !== serverId);
    setError(null);
    if (!props.chat) return setNewChatServers(next);
    try {
      await setChatServers(props.chat.id, next);
    } catch (cause) {
      setError(errorMessage(cause));
    }
  };
  const setRoots = async (chatId: string, serverId: string, uris: string[]) => {
    setError(null);
    try {
      rememberChat(await api.chats.setRoots.mutate({ chatId, serverId, uris }));
    } catch (cause) {
      setError(errorMessage(cause));
    }
  };
  const roots = (serverId: string) => {
    const chat = props.chat;
    return chat && { chosen: chat.roots[serverId] ?? [], onChange: (uris: string[]) => setRoots(chat.id, serverId, uris) };
  };
  const connect = async (serverId: string) => {
    const chatId = props.chat?.id;
    if ((await connectServer(serverId, chatId)) && chatId) addServerToChat(chatId, serverId);
  };

  return (
    <Dialog title={t('servers.title')} onClose={props.onClose} class="drawer">
      <button type="button" class="icon-button dialog-close" aria-label={t('servers.close')} onClick={() => props.onClose()}>
        <Icon name="close" />
      </button>
      <p class="muted small-text">{t('servers.intro')}</p>
      <Show when={servers.error}>
        <p class="form-error" role="alert">
          {t('servers.couldNotLoad', String(servers.error))}
        </p>
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={servers.loaded} fallback={<p class="muted">{t('servers.loading')}</p>}>
        <Show when={servers.items.length > 0} fallback={<p class="muted">{t('servers.empty')}</p>}>
          <ul class="server-list">
            <For each={servers.items}>
              {(server) => (
                <ServerCard
                  server={server}
                  inUse={inUse().includes(server.id)}
                  useLabel={props.chat ? t('servers.useInChat') : t('servers.useInNewChats')}
                  onConnect={() => void connect(server.id)}
                  onDisconnect={() => void disconnectServer(server.id)}
                  onUse={(on) => void use(server.id, on)}
                  roots={roots(server.id)}
                />
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <ConnectedAccounts />
    </Dialog>
  );
}
