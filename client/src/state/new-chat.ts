/**
 * The servers a chat not yet created will use. Until the person changes it, a new chat uses
 * every server they are connected to, which is what they connected them for.
 */
import { createSignal } from 'solid-js';
import { connectedServerIds } from './servers.ts';

const [chosen, setChosen] = createSignal<string[] | null>(null);

export function newChatServers(): string[] {
  const connected = connectedServerIds();
  return chosen()?.filter((id) => connected.includes(id)) ?? connected;
}

export function setNewChatServers(serverIds: string[]): void {
  setChosen(serverIds);
}

/** After a chat was created from it, the next new chat starts from the default again. */
export function resetNewChatServers(): void {
  setChosen(null);
}
