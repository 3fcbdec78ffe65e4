/** The bar above a conversation: the sidebar toggle (narrow screens), the title, the model, the chat's instructions, Export, and the tools button. */
import { createEffect, onMount, Show } from 'solid-js';
import { counted } from '../../../shared/counted.ts';
import type { SessionInfo } from '../api/types.ts';
import { ChatInstructionsButton } from './ChatInstructionsButton.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { Icon } from './Icon.tsx';
import { ModelPicker } from './ModelPicker.tsx';
import { loadModels, models } from '../state/models.ts';

export function ChatHeader(props: {
  title: string;
  session: SessionInfo;
  /** The chat shown, whose instructions the header opens and Export saves; none for a chat not yet created. */
  chatId?: string;
  /** How many servers this chat uses; shown on the tools button. */
  serversInUse: number;
  onToggleSidebar: () => void;
  onOpenServers: () => void;
}) {
  createEffect(() => (document.title = `${props.title} · Countersign`));
  onMount(() => void loadModels());
  return (
    <header class="chat-header">
      <button
        type="button"
        class="icon-button narrow-only"
        aria-label="Open sidebar"
        aria-controls="sidebar"
        onClick={() => props.onToggleSidebar()}
      >
        <Icon name="menu" />
      </button>
      <div class="chat-header-title">
        <h1 class="chat-title">{props.title}</h1>
        <span class="model">
          {/* A choice only when the catalogue offers the person more than one model; otherwise the one that answers. */}
          <Show
            when={props.chatId && models().length > 1 && props.chatId}
            fallback={
              <Show when={props.session.model.offlineDemo} fallback={props.session.model.label}>
                <span
                  class="badge info"
                  title="No language model is configured: a rule-based stand-in answers, so tools and approvals can be tried."
                >
                  Offline demo model
                </span>
              </Show>
            }
          >
            {(chatId) => <ModelPicker chatId={chatId()} />}
          </Show>
        </span>
      </div>
      <Show when={props.chatId}>
        {(chatId) => (
          <>
            <ChatInstructionsButton chatId={chatId()} />
            <ExportMenu chatId={chatId()} />
          </>
        )}
      </Show>
      <button
        type="button"
        class="button tools-button"
        aria-haspopup="dialog"
        aria-label={`Tools, ${counted(props.serversInUse, 'server')} in use`}
        onClick={() => props.onOpenServers()}
      >
        <Icon name="plug" />
        {/* The space keeps the shown "Tools 1" a part of the name, for people who speak what they see. */}
        <span>Tools</span> <span class="count">{props.serversInUse}</span>
      </button>
    </header>
  );
}
