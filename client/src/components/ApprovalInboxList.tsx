/** The approvals waiting in the person's chats, newest first: choosing one opens its chat, where its card waits. */
import { For, Show } from 'solid-js';
import { notificationsBlocked, notificationsSupported, notifying, setNotifying } from '../state/approval-notifications.ts';
import { inbox } from '../state/inbox.ts';
import { chatPath, navigate } from '../state/route.ts';
import { timeAgo } from '../lib/time-ago.ts';
import { Dialog } from './Dialog.tsx';
import { t } from '../../../shared/i18n/t.ts';
import { shownTitle } from '../lib/chat-title.ts';

export function ApprovalInboxList(props: { onClose: () => void; onChosen: () => void }) {
  const choose = (chatId: string) => {
    navigate(chatPath(chatId));
    props.onChosen();
  };
  return (
    <Dialog title={t('inbox.title')} onClose={props.onClose} class="approval-inbox">
      <Show when={inbox.entries.length > 0} fallback={<p class="muted">{t('inbox.empty')}</p>}>
        <ul class="approval-inbox-list" aria-label={t('inbox.title')}>
          <For each={inbox.entries}>
            {(entry) => (
              <li>
                <button type="button" class="approval-inbox-entry" onClick={() => choose(entry.chatId)}>
                  <span class="approval-inbox-title">{shownTitle(entry.chatTitle)}</span>
                  <span class="approval-inbox-tools">{entry.tools.join(', ')}</span>
                  <span class="muted small-text">{timeAgo(entry.since)}</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={notificationsSupported()}>
        <label class="checkbox approval-inbox-notify">
          <input
            type="checkbox"
            checked={notifying()}
            onChange={async (event) => {
              const box = event.currentTarget;
              await setNotifying(box.checked);
              // Refused by the browser: the box says so rather than what was clicked.
              box.checked = notifying();
            }}
          />
          {t('inbox.notify')}
        </label>
        <Show when={notificationsBlocked()}>
          <p class="muted small-text">{t('inbox.notificationsBlocked')}</p>
        </Show>
      </Show>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
