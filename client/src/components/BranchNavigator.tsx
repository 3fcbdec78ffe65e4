/**
 * ‹ 2 / 3 ›: which version of a forked message is shown (an edited message, or a regenerated
 * answer), and buttons that show the one before or after it. The version shown next is a new
 * message, so the navigator it brings takes the focus, on the button that moves on the same way.
 */
import { onMount } from 'solid-js';
import type { MessageBranch } from '../../../shared/chat-events.ts';
import { t } from '../../../shared/i18n/t.ts';

/** The version asked for, and which way the person went, until its navigator has taken the focus. */
let asked: { version: string; step: -1 | 1 } | undefined;

export function BranchNavigator(props: { branch: MessageBranch; disabled: boolean; onSwitch: (messageId: string) => void }) {
  const at = () => props.branch.index;
  const count = () => props.branch.versions.length;
  let previous!: HTMLButtonElement;
  let next!: HTMLButtonElement;
  const go = (step: -1 | 1) => {
    const target = props.branch.versions[at() + step];
    if (!target) return;
    asked = { version: target, step };
    props.onSwitch(target);
  };
  onMount(() => {
    const wanted = asked;
    if (!wanted || wanted.version !== props.branch.versions[at()]) return;
    const { step } = wanted;
    asked = undefined;
    // At either end the button that way is disabled: the other one keeps the focus in the navigator.
    const way = step < 0 ? previous : next;
    queueMicrotask(() => (way.disabled ? (step < 0 ? next : previous) : way).focus());
  });
  return (
    <fieldset class="branch-navigator" aria-label={t('message.versions')}>
      <button
        ref={previous}
        type="button"
        class="message-action"
        aria-label={t('message.previousVersion')}
        disabled={props.disabled || at() === 0}
        onClick={() => go(-1)}
      >
        ‹
      </button>
      <span class="small-text muted" aria-hidden="true">
        {at() + 1} / {count()}
      </span>
      <span class="visually-hidden" role="status">
        {t('message.version', at() + 1, count())}
      </span>
      <button
        ref={next}
        type="button"
        class="message-action"
        aria-label={t('message.nextVersion')}
        disabled={props.disabled || at() === count() - 1}
        onClick={() => go(1)}
      >
        ›
      </button>
    </fieldset>
  );
}
