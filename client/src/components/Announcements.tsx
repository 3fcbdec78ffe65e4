/**
 * The chat's one polite live region. The conversation itself is `aria-live="off"` (reading every
 * token aloud would drown a screen reader), so what a person must hear is said here, once each:
 * an answer finished, an approval waits. Each is a new element, so the same words twice are heard twice.
 */
import { createEffect, createSignal, For, on } from 'solid-js';
import type { ConversationView } from '../state/conversation-view.ts';
import { runGoing } from '../state/conversation-view.ts';
import { t } from '../../../shared/i18n/t.ts';

/** Lines kept in the region: enough for the newest to be read, few enough to stay out of the way. */
const KEPT = 3;

export function Announcements(props: { view: ConversationView }) {
  const [lines, setLines] = createSignal<{ text: string }[]>([]);
  const announce = (text: string) => setLines((said) => [...said, { text }].slice(-KEPT));

  createEffect(
    on(
      () => runGoing(props.view.runState),
      (going, wasGoing) => {
        // A run that ended idle after a message from the assistant answered; one that paused for an approval did not.
        const last = props.view.messages.at(-1);
        if (wasGoing && !going && props.view.runState.status === 'idle' && last?.role === 'assistant') {
          announce(last.stopped ? t('announce.stopped') : t('announce.answered'));
        }
      },
    ),
  );
  createEffect(
    on(
      () => props.view.pendingApproval?.interruptId,
      (interruptId) => {
        const approval = props.view.pendingApproval;
        if (interruptId && approval) announce(t('announce.approvalNeeded', approval.items.length));
      },
    ),
  );

  return (
    <div class="visually-hidden" role="status" aria-live="polite" aria-label={t('announce.label')}>
      <For each={lines()}>{(line) => <p>{line.text}</p>}</For>
    </div>
  );
}
