/** The bar above a conversation: the sidebar toggle (narrow screens), the title, the model, the chat's instructions, Export, and the tools button. */
import { createEffect, onMount, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { SessionInfo } from '../api/types.ts';
import { shownTitle } from '../lib/chat-title.ts';
import { loadModels, models, shownModel } from '../state/models.ts';
import { ChatInstructionsButton } from './ChatInstructionsButton.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { Icon } from './Icon.tsx';
import { ModelPicker } from './ModelPicker.tsx';

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
  const title = () => shownTitle(props.title);
  createEffect(() => (document.title = `${title()} · Countersign`));
  onMount(() => void loadModels());
  const shown = () => shownModel(props.chatId);
  return (
    <header class="chat-header">
      <button
        type="button"
        class="icon-button narrow-only"
        aria-label={t('chatHeader.openSidebar')}
        aria-controls="sidebar"
        onClick={() => props.onToggleSidebar()}
      >
        <Icon name="menu" />
      </button>
      <div class="chat-header-title">
        <h1 class="chat-title">{title()}</h1>
        <span class="model">
          {/* A choice only when the catalogue offers the person more than one model; otherwise the one that answers. */}
          <Show
            when={models().length > 1}
            fallback={
              <Show when={shown()?.offlineDemo ?? props.session.model.offlineDemo} fallback={shown()?.name ?? props.session.model.label}>
                <span class="badge info" title={t('chatHeader.offlineDemoHint')}>
                  {t('chatHeader.offlineDemo')}
                </span>
              </Show>
            }
          >
            <ModelPicker chatId={props.chatId} />
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
        aria-label={t('chatHeader.toolsInUse', props.serversInUse)}
        onClick={() => props.onOpenServers()}
      >
        <Icon name="plug" />
        {/* The space keeps the shown "Tools 1" a part of the name, for people who speak what they see. */}
        <span>{t('servers.title')}</span> <span class="count">{props.serversInUse}</span>
      </button>
    </header>
  );
}
