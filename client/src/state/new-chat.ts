/**
 * The servers and the model a chat not yet created will use. Until the person changes it, a new
 * chat uses every server they are connected to, which is what they connected them for, and the
 * model the server starts it on (their last choice, state/models.ts).
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

const [chosenModel, setChosenModel] = createSignal<string | null>(null);

/** The model the person chose for the new chat; null: none, so it starts on their last choice. */
export const newChatModelChoice = chosenModel;

export function setNewChatModel(modelId: string): void {
  setChosenModel(modelId);
}

/** The choice, once, for the chat being created from it: the next new chat starts on the last choice again. */
export function takeNewChatModel(): string | null {
  const modelId = chosenModel();
  setChosenModel(null);
  return modelId;
}
