/**
 * The sidebar's "Approvals" entry: how many approvals wait in the person's chats, opening the list
 * of them. An approval that arrives while the person is elsewhere is announced.
 */
import { createEffect, createSignal, on, Show } from 'solid-js';
import { inboxCount } from '../state/inbox.ts';
import { ApprovalInboxList } from './ApprovalInboxList.tsx';
import { Icon } from './Icon.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ApprovalInbox(props: { onOpen: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [said, setSaid] = createSignal('');
  createEffect(
    on(inboxCount, (count, before) => {
      if (before !== undefined && count > before) setSaid(t('inbox.announce', count));
    }),
  );
  return (
    <>
      <button type="button" class="button approvals-entry" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <Icon name="alert" /> {t('inbox.approvals')}
        <Show when={inboxCount() > 0} fallback={<span class="visually-hidden">{t('inbox.noneWaiting')}</span>}>
          <span class="badge warn approvals-count">
            {inboxCount()}
            <span class="visually-hidden">{t('inbox.waiting')}</span>
          </span>
        </Show>
      </button>
      <div class="visually-hidden" role="status" aria-live="polite">
        {said()}
      </div>
      <Show when={open()}>
        <ApprovalInboxList
          onClose={() => setOpen(false)}
          onChosen={() => {
            setOpen(false);
            props.onOpen();
          }}
        />
      </Show>
    </>
  );
}
