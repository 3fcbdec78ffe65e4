/**
 * The pending approval of a chat: every tool call the policy asks about, decided one at a time
 * or all together. It comes from the chat's history, so it is still here after a reload or a
 * server restart; a decision quotes its interrupt id, so a stale one is refused by the server.
 * Choices not yet sent are kept for the tab (state/approval-drafts.ts), so a reload keeps them too.
 */
import { createEffect, createSignal, For, onMount, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { ApprovalDecision, PendingApproval } from '../api/types.ts';
import { mayTakeFocus } from '../lib/may-take-focus.ts';
import { clearApprovalDraft, loadApprovalDraft, saveApprovalDraft } from '../state/approval-drafts.ts';
import { ApprovalItemView } from './ApprovalItemView.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ApprovalCard(props: {
  approval: PendingApproval;
  onDecide: (decisions: ApprovalDecision[], alwaysAllow: string[]) => Promise<boolean>;
  /** The decisions went through: the card is about to go, and the focus should not go with it. */
  onSent: () => void;
}) {
  const interruptId = props.approval.interruptId;
  const draft = loadApprovalDraft(interruptId);
  const [choices, setChoices] = createStore<Record<string, ApprovalDecision | undefined>>(draft.choices);
  const [alwaysAllow, setAlwaysAllow] = createStore<Record<string, boolean>>(draft.alwaysAllow);
  // Saving serialises both stores, and so reads every entry: any change saves again.
  createEffect(() => saveApprovalDraft(interruptId, { choices, alwaysAllow }));
  let card!: HTMLElement;
  // Someone writing keeps the focus; the chat's live region tells them an approval waits (Announcements).
  onMount(() => mayTakeFocus() && card.focus());
  const [busy, setBusy] = createSignal(false);
  const items = () => props.approval.items;
  const single = () => items().length === 1;
  const decidedCount = () => items().filter((item) => choices[item.toolCallId]).length;

  const submit = async (decisions: ApprovalDecision[]) => {
    const allowed = items()
      .filter((item) => alwaysAllow[item.toolCallId] && decisions.some((d) => d.toolCallId === item.toolCallId && d.action !== 'reject'))
      .map((item) => item.tool.uniqueName);
    setBusy(true);
    const sent = await props.onDecide(decisions, [...new Set(allowed)]);
    setBusy(false);
    if (!sent) return;
    clearApprovalDraft(interruptId);
    props.onSent();
  };

  const choose = (toolCallId: string, decision: ApprovalDecision | undefined) => {
    if (single() && decision) return void submit([decision]);
    setChoices(toolCallId, decision);
  };
  const all = (action: 'approve' | 'reject') =>
    submit(items().map((item) => choices[item.toolCallId] ?? ({ toolCallId: item.toolCallId, action } as ApprovalDecision)));

  return (
    <section ref={card} tabIndex={-1} class="approval-card" aria-label={t('approval.needed')} aria-busy={busy()}>
      <header class="approval-head">
        <span class="approval-title">{t('approval.needed')}</span>
        <span class="muted small-text">{single() ? t('approval.oneTool') : t('approval.severalTools', items().length)}</span>
      </header>
      <For each={items()}>
        {(item) => (
          <ApprovalItemView
            item={item}
            choice={choices[item.toolCallId]}
            alwaysAllow={alwaysAllow[item.toolCallId] ?? false}
            busy={busy()}
            sendsAtOnce={single()}
            onChoose={(decision) => choose(item.toolCallId, decision)}
            onAlwaysAllow={(on) => setAlwaysAllow(item.toolCallId, on)}
          />
        )}
      </For>
      <Show when={!single()}>
        <footer class="approval-foot">
          <span class="muted small-text" role="status">
            {t('approval.decided', decidedCount(), items().length)}
          </span>
          <Show when={decidedCount() < items().length}>
            <button type="button" class="button" disabled={busy()} onClick={() => void all('reject')}>
              {decidedCount() === 0 ? t('approval.rejectAll') : t('approval.rejectRest')}
            </button>
            <button type="button" class="button" disabled={busy()} onClick={() => void all('approve')}>
              {decidedCount() === 0 ? t('approval.approveAll') : t('approval.approveRest')}
            </button>
          </Show>
          <button
            type="button"
            class="button primary"
            disabled={busy() || decidedCount() < items().length}
            onClick={() => void submit(items().map((item) => choices[item.toolCallId]!))}
          >
            {t('approval.sendDecisions')}
          </button>
        </footer>
      </Show>
    </section>
  );
}
