/**
 * One tool call waiting for a decision: what the tool is, why it is asked, its arguments, and
 * Approve / Edit / Reject. With one call in the approval a choice is sent at once; with several,
 * each choice is held until the person sends them all (see ApprovalCard).
 */
import { createEffect, createSignal, Match, on, Show, Switch } from 'solid-js';
import { LIMITS } from '../../../shared/limits.ts';
import type { ApprovalDecision, ApprovalItem } from '../api/types.ts';
import type { ArgumentsCheck } from '../lib/check-arguments.ts';
import { describeReason } from '../lib/approval-reason.ts';
import { ArgumentsEditor } from './ArgumentsEditor.tsx';
import { ArgumentsView } from './ArgumentsView.tsx';
import { ToolBadges } from './ToolBadges.tsx';
import { t } from '../../../shared/i18n/t.ts';

type Mode = 'view' | 'edit' | 'reject';

export function ApprovalItemView(props: {
  item: ApprovalItem;
  /** The choice held for this call, when several are decided together. */
  choice: ApprovalDecision | undefined;
  alwaysAllow: boolean;
  busy: boolean;
  /** One call: a choice is sent at once. Several: it is held, shown, and can be changed. */
  sendsAtOnce: boolean;
  onChoose: (decision: ApprovalDecision | undefined) => void;
  onAlwaysAllow: (on: boolean) => void;
}) {
  const [mode, setMode] = createSignal<Mode>('view');
  const [edited, setEdited] = createSignal<ArgumentsCheck>({ ok: true, value: props.item.arguments });
  const [reason, setReason] = createSignal('');
  const id = () => props.item.toolCallId;
  let reasonBox!: HTMLInputElement;
  let actions!: HTMLDivElement;
  let approveButton!: HTMLButtonElement;
  let editButton!: HTMLButtonElement;
  let rejectButton!: HTMLButtonElement;
  let changeButton!: HTMLButtonElement;
  // Leaving a mode brings back the button that opened it, so the focus is not dropped on <body>
  // with the buttons it was on (the view's buttons are rendered again before the focus moves).
  const back = (opener: () => HTMLButtonElement) => {
    setMode('view');
    opener().focus();
  };
  // Rejecting grows the card at its foot, where it may already touch the fold: the reason box and
  // its Reject and Back buttons are brought into view together, and the box takes the typing.
  createEffect(
    on(mode, (now) => {
      if (now !== 'reject') return;
      reasonBox.focus({ preventScroll: true });
      actions.scrollIntoView({ block: 'nearest' });
    }),
  );

  // A held choice replaces the buttons with Change; sent at once, the card goes (ApprovalCard moves the focus).
  const choose = (decision: ApprovalDecision) => {
    props.onChoose(decision);
    setMode('view');
    if (!props.sendsAtOnce) changeButton.focus();
  };
  const change = () => {
    props.onChoose(undefined);
    approveButton.focus();
  };
  const approveEdited = () => {
    const check = edited();
    if (check.ok) choose({ toolCallId: id(), action: 'edit', arguments: check.value });
  };

  return (
    <section class="approval-item" aria-label={t('approval.toolCall', props.item.tool.title)}>
      <header class="approval-item-head">
        <span class="tool-name">{props.item.tool.title}</span>
        <span class="muted small-text">{t('approval.onServer', props.item.tool.serverName)}</span>
        <ToolBadges annotations={props.item.annotations} />
      </header>
      <Show when={props.item.description}>
        <p class="tool-description">{props.item.description}</p>
      </Show>
      <p class="approval-reason small-text">{t('approval.whyAsked', describeReason(props.item.reason))}</p>

      <Switch>
        <Match when={mode() === 'edit'}>
          <ArgumentsEditor
            initial={props.choice?.action === 'edit' ? props.choice.arguments : props.item.arguments}
            schema={props.item.inputSchema}
            label={t('approval.argumentsLabel', props.item.tool.title)}
            onChange={setEdited}
          />
        </Match>
        <Match when={props.choice?.action === 'edit' && props.choice} keyed>
          {(choice) => <ArgumentsView arguments={(choice as { arguments: Record<string, unknown> }).arguments} />}
        </Match>
        <Match when={true}>
          <ArgumentsView arguments={props.item.arguments} />
        </Match>
      </Switch>

      <Show when={mode() === 'reject'}>
        <label class="field">
          <span class="field-label">{t('approval.reason')}</span>
          <input
            ref={reasonBox}
            class="input"
            maxLength={LIMITS.reason}
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') choose({ toolCallId: id(), action: 'reject', reason: reason().trim() || undefined });
              // As Back: a keyboard user leaves rejecting where they entered it, the reason kept.
              if (e.key === 'Escape') back(() => rejectButton);
            }}
          />
        </label>
      </Show>

      <Show when={mode() !== 'reject' && props.choice?.action !== 'reject'}>
        <label class="checkbox">
          <input type="checkbox" checked={props.alwaysAllow} onChange={(e) => props.onAlwaysAllow(e.currentTarget.checked)} />
          {t('approval.alwaysAllow', props.item.tool.title)}
        </label>
      </Show>

      <div ref={actions} class="approval-actions">
        <Switch>
          <Match when={mode() === 'edit'}>
            <button type="button" class="button primary" disabled={props.busy || !edited().ok} onClick={approveEdited}>
              {t('approval.approveEdited')}
            </button>
            <button type="button" class="button" onClick={() => back(() => editButton)}>
              {t('approval.cancelEditing')}
            </button>
          </Match>
          <Match when={mode() === 'reject'}>
            <button
              type="button"
              class="button danger"
              disabled={props.busy}
              onClick={() => choose({ toolCallId: id(), action: 'reject', reason: reason().trim() || undefined })}
            >
              {t('approval.reject')}
            </button>
            <button type="button" class="button" onClick={() => back(() => rejectButton)}>
              {t('approval.back')}
            </button>
          </Match>
          <Match when={props.choice && !props.sendsAtOnce}>
            <span class="choice" role="status">
              {choiceText(props.choice!)}
            </span>
            <button ref={changeButton} type="button" class="button" onClick={change}>
              {t('approval.change')}
            </button>
          </Match>
          <Match when={true}>
            <button
              ref={approveButton}
              type="button"
              class="button primary"
              disabled={props.busy}
              onClick={() => choose({ toolCallId: id(), action: 'approve' })}
            >
              {t('approval.approve')}
            </button>
            <button ref={editButton} type="button" class="button" disabled={props.busy} onClick={() => setMode('edit')}>
              {t('approval.edit')}
            </button>
            <button ref={rejectButton} type="button" class="button danger-outline" disabled={props.busy} onClick={() => setMode('reject')}>
              {t('approval.rejectWithReason')}
            </button>
          </Match>
        </Switch>
      </div>
    </section>
  );
}

function choiceText(decision: ApprovalDecision): string {
  if (decision.action === 'approve') return t('approval.willApprove');
  if (decision.action === 'edit') return t('approval.willApproveEdited');
  return decision.reason ? t('approval.willRejectBecause', decision.reason) : t('approval.willReject');
}
