/**
 * The MCP servers of the catalogue as this person sees them: connection state, tools and their
 * policies. Refreshed after each connect or disconnect, and when the window regains focus.
 */
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import type { ServerDto } from '../api/types.ts';

interface ServersState {
  items: ServerDto[];
  loaded: boolean;
  error: string | null;
  /** Servers with a connect or disconnect on its way. */
  busy: Record<string, boolean>;
  /** The last failed connect or disconnect per server, in words. */
  actionErrors: Record<string, string | undefined>;
}

const [state, setState] = createStore<ServersState>({ items: [], loaded: false, error: null, busy: {}, actionErrors: {} });

export const servers = state;

export const connectedServerIds = () => state.items.filter((s) => s.connection === 'connected').map((s) => s.id);

export async function loadServers(): Promise<void> {
  try {
    setState({ items: await api.servers.list.query(), loaded: true, error: null });
  } catch (error) {
    setState('error', errorMessage(error));
  }
}

/** Connects the server; with a chat, the server also turns it on in that chat. */
export async function connectServer(serverId: string, chatId?: string): Promise<boolean> {
  return act(serverId, () => api.servers.connect.mutate({ serverId, chatId }));
}

export async function disconnectServer(serverId: string): Promise<boolean> {
  return act(serverId, () => api.servers.disconnect.mutate({ serverId }));
}

async function act(serverId: string, call: () => Promise<unknown>): Promise<boolean> {
  setState('busy', serverId, true);
  setState('actionErrors', serverId, undefined);
  try {
    await call();
    return true;
  } catch (error) {
    setState('actionErrors', serverId, errorMessage(error));
    return false;
  } finally {
    setState('busy', serverId, false);
    await loadServers();
  }
}
