/** One chat in the sidebar: opens it, and offers pin or unpin, archive, rename and delete. */
import { createSignal, Show } from 'solid-js';
import { errorMessage } from '../api/errors.ts';
import type { ChatDto } from '../api/types.ts';
import { archiveChat, deleteChat, pinChat, renameChat } from '../state/chats.ts';
import { chatPath, currentChatId, navigate } from '../state/route.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Icon } from './Icon.tsx';
import { RenameDialog } from './RenameDialog.tsx';
import { shownTitle } from '../lib/chat-title.ts';
import { t } from '../../../shared/i18n/t.ts';

export function ChatListItem(props: { chat: ChatDto; onOpen: () => void }) {
  const [renaming, setRenaming] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);
  const [refusal, setRefusal] = createSignal<string | null>(null);
  const active = () => currentChatId() === props.chat.id;

  const open = (event: MouseEvent) => {
    // Let the browser handle new-tab and new-window clicks.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(chatPath(props.chat.id));
    props.onOpen();
  };

  const remove = async () => {
    await deleteChat(props.chat.id);
    if (active()) navigate('/', { replace: true });
  };

  /** Pins or archives; a refusal (too many pins, say) is said under the chat. */
  const mark = async (change: () => Promise<void>) => {
    setRefusal(null);
    try {
      await change();
    } catch (error) {
      setRefusal(errorMessage(error));
    }
  };
  const pinned = () => props.chat.pinnedAt !== null;
  const title = () => shownTitle(props.chat.title);

  return (
    <li class="chat-item" classList={{ active: active() }}>
      <a class="chat-link" href={chatPath(props.chat.id)} aria-current={active() ? 'page' : undefined} onClick={open} title={title()}>
        {title()}
      </a>
      <span class="chat-actions">
        <button
          type="button"
          class="icon-button small"
          aria-label={pinned() ? t('chatItem.unpin', title()) : t('chatItem.pin', title())}
          aria-pressed={pinned()}
          onClick={() => void mark(() => pinChat(props.chat.id, !pinned()))}
        >
          <Icon name="pin" size={16} />
        </button>
        <button
          type="button"
          class="icon-button small"
          aria-label={t('chatItem.archive', title())}
          onClick={() => void mark(() => archiveChat(props.chat.id, true))}
        >
          <Icon name="archive" size={16} />
        </button>
        <button type="button" class="icon-button small" aria-label={t('chatItem.rename', title())} onClick={() => setRenaming(true)}>
          <Icon name="edit" size={16} />
        </button>
        <button type="button" class="icon-button small" aria-label={t('chatItem.delete', title())} onClick={() => setDeleting(true)}>
          <Icon name="trash" size={16} />
        </button>
      </span>
      <Show when={refusal()}>
        <p class="inline-error chat-refusal" role="alert">
          {refusal()}
        </p>
      </Show>
      <Show when={renaming()}>
        <RenameDialog title={title()} onSave={(title) => renameChat(props.chat.id, title)} onClose={() => setRenaming(false)} />
      </Show>
      <Show when={deleting()}>
        <ConfirmDialog
          title={t('chatItem.deleteTitle')}
          confirmLabel={t('common.delete')}
          danger
          onConfirm={remove}
          onClose={() => setDeleting(false)}
        >
          <p>{t('chatItem.deleteWarning', title())}</p>
        </ConfirmDialog>
      </Show>
    </li>
  );
}
