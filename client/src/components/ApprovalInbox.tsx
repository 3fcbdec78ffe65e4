/**
 * The sidebar's "Approvals" entry: how many approvals wait in the person's chats, opening the list
 * of them. An approval that arrives while the person is elsewhere is announced.
 */
import { createEffect, createSignal, on, Show } from 'solid-js';
import { counted } from '../../../shared/counted.ts';
import { inboxCount } from '../state/inbox.ts';
import { ApprovalInboxList } from './ApprovalInboxList.tsx';
import { Icon } from './Icon.tsx';

export function ApprovalInbox(props: { onOpen: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [said, setSaid] = createSignal('');
  createEffect(
    on(inboxCount, (count, before) => {
      if (before !== undefined && count > before) setSaid(`${counted(count, 'approval')} waiting`);
    }),
  );
  return (
    <>
      <button type="button" class="button approvals-entry" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <Icon name="alert" /> Approvals
        <Show when={inboxCount() > 0} fallback={<span class="visually-hidden">: none waiting</span>}>
          <span class="badge warn approvals-count">
            {inboxCount()}
            <span class="visually-hidden"> waiting</span>
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
