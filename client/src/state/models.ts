/**
 * The catalogue models this person may choose for a chat (`models.list`), and the one a new chat
 * starts on (`models.startingModel`), read again each time a chat's header is shown, so a model
 * an admin added is offered without a reload; the last list stays on screen meanwhile.
 */
import { createSignal } from 'solid-js';
import { api } from '../api/client.ts';
import { answeringModel, type ModelDto } from '../../../shared/models.ts';
import { chats, rememberChat } from './chats.ts';
import { newChatModelChoice } from './new-chat.ts';

const [models, setModels] = createSignal<ModelDto[]>([]);
const [starting, setStarting] = createSignal<string | null>(null);

export { models };

export async function loadModels(): Promise<void> {
  try {
    const [list, startingModel] = await Promise.all([api.models.list.query(), api.models.startingModel.query()]);
    setModels(list);
    setStarting(startingModel);
  } catch {
    // Without the list the header offers no choice, and the chat still answers with its model.
  }
}

/** The model a chat answers with: its own choice while it may still be used, else the catalogue's default. */
export function chatModel(modelId: string | null | undefined): ModelDto | undefined {
  return answeringModel(models(), modelId);
}

/** The model a chat created now will answer with: the one chosen for it, else the person's last choice, else the default. */
export function newChatModel(): ModelDto | undefined {
  return chatModel(newChatModelChoice() ?? starting());
}

/** The model shown for a chat: its own, or for a chat not yet created (no id) the one it will start on. */
export function shownModel(chatId: string | undefined): ModelDto | undefined {
  return chatId ? chatModel(chats.byId[chatId]?.modelId) : newChatModel();
}

export async function setChatModel(chatId: string, modelId: string): Promise<void> {
  rememberChat(await api.chats.setModel.mutate({ chatId, modelId }));
}
