/**
 * The chat header's "Instructions" button: says whether this chat has instructions for the model,
 * and opens them to read and edit. A save reaches the chat's other tabs as `chat_updated`.
 */
import { createSignal, Show } from 'solid-js';
import { api } from '../api/client.ts';
import { chats, rememberChat } from '../state/chats.ts';
import { Icon } from './Icon.tsx';
import { InstructionsDialog } from './InstructionsDialog.tsx';

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
        aria-label={`Chat instructions, ${systemPrompt() ? 'set' : 'none'}`}
        title={systemPrompt() || 'No instructions for this chat'}
        onClick={() => setOpen(true)}
      >
        <Icon name="edit" />
        <span>Instructions</span>
        <Show when={systemPrompt()}>
          <span class="badge ok">set</span>
        </Show>
      </button>
      <Show when={open()}>
        <InstructionsDialog
          title="Chat instructions"
          label="What the model should follow in this chat"
          hint="Sent to the model in this chat only, after your own instructions from Settings."
          text={systemPrompt()}
          onSave={save}
          onClose={() => setOpen(false)}
        />
      </Show>
    </>
  );
}
