/**
 * The chat header's "Instructions" button: says whether this chat has instructions for the model,
 * and opens them to read and edit. A save reaches the chat's other tabs as `chat_updated`.
 */
import { createSignal, Show } from 'solid-js';
import { api } from '../api/client.ts';
import { chats, rememberChat } from '../state/chats.ts';
import { Icon } from './Icon.tsx';
import { InstructionsDialog } from './InstructionsDialog.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ChatInstructionsButton(props: { chatId: string }) {
  const [open, setOpen] = createSignal(false);
  const systemPrompt = () => chats.byId[props.chatId]?.systemPrompt ?? '';
  const save = async (text: string) => {
    rememberChat(await api.chats.setSystemPrompt.mutate({ chatId: props.chatId, systemPrompt: text }));
  };
  return (
    <>
      <button
        type="button"
        class="button instructions-button"
        aria-haspopup="dialog"
        aria-label={t('instructions.chatButton', Boolean(systemPrompt()))}
        title={systemPrompt() || t('instructions.chatNone')}
        onClick={() => setOpen(true)}
      >
        <Icon name="edit" />
        <span>{t('instructions.button')}</span>
        <Show when={systemPrompt()}>
          <span class="badge ok">{t('instructions.set')}</span>
        </Show>
      </button>
      <Show when={open()}>
        <InstructionsDialog
          title={t('instructions.chatTitle')}
          label={t('instructions.chatLabel')}
          hint={t('instructions.chatHint')}
          text={systemPrompt()}
          onSave={save}
          onClose={() => setOpen(false)}
        />
      </Show>
    </>
  );
}
