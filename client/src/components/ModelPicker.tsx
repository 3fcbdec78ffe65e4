/**
 * The chat's model, chosen among those the person may use (`chats.setModel`). The next run answers
 * with it, the history is kept, and other tabs hear `chat_updated`. Without a chat (the new-chat
 * view) it chooses the model the chat will be created on.
 */
import { createSignal, For, Show } from 'solid-js';
import { errorMessage } from '../api/errors.ts';
import { t } from '../../../shared/i18n/t.ts';
import { models, setChatModel, shownModel } from '../state/models.ts';
import { setNewChatModel } from '../state/new-chat.ts';

export function ModelPicker(props: { chatId?: string }) {
  const [error, setError] = createSignal<string | null>(null);
  const chosen = () => shownModel(props.chatId);
  const choose = async (modelId: string) => {
    setError(null);
    if (!props.chatId) return setNewChatModel(modelId);
    try {
      await setChatModel(props.chatId, modelId);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  return (
    <>
      <select
        class="model-picker"
        aria-label={t('models.label')}
        value={chosen()?.id ?? ''}
        onChange={(e) => void choose(e.currentTarget.value)}
      >
        <For each={models()}>
          {(model) => <option value={model.id}>{model.isDefault ? t('models.default', model.name) : model.name}</option>}
        </For>
      </select>
      <Show when={error()}>
        <span class="form-error" role="alert">
          {error()}
        </span>
      </Show>
    </>
  );
}
