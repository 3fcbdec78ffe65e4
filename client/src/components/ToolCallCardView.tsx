/**
 * A tool call in the conversation: which tool on which server, its state, who decided, and
 * (expandable) its arguments, progress and result; under it, what its server asks the person meanwhile.
 */
import { Show } from 'solid-js';
import type { ToolCallCard } from '../api/types.ts';
import type { ToolProgress } from '../state/conversation-view.ts';
import { ArgumentsView } from './ArgumentsView.tsx';
import { CallQuestions } from './PendingQuestions.tsx';
import { ToolMediaView } from './ToolMediaView.tsx';
import { ToolProgressBar } from './ToolProgressBar.tsx';
import { t } from '../../../shared/i18n/t.ts';

const statusText = {
  proposed: 'toolCard.proposed',
  awaiting_approval: 'toolCard.awaitingApproval',
  running: 'toolCard.running',
  succeeded: 'toolCard.succeeded',
  failed: 'toolCard.failed',
  rejected: 'toolCard.rejected',
  denied: 'toolCard.denied',
  not_run: 'toolCard.notRun',
  awaiting_sign_in: 'toolCard.awaitingSignIn',
  cancelled: 'toolCard.cancelled',
} as const satisfies Record<ToolCallCard['status'], string>;

export function ToolCallCardView(props: { card: ToolCallCard; progress?: ToolProgress; userId: string }) {
  const card = () => props.card;
  const running = () => card().status === 'running';
  return (
    <>
      <details class={`tool-card status-${card().status}`} open={running() || card().status === 'failed'}>
        <summary class="tool-card-head">
          <span class="status-dot" aria-hidden="true" />
          <span class="tool-name">{card().tool.title}</span>
          <Show when={card().tool.serverName}>
            <span class="muted small-text">{t('toolCard.onServer', card().tool.serverName)}</span>
          </Show>
          <span class="tool-status">{t(statusText[card().status])}</span>
        </summary>
        <div class="tool-card-body">
          <Show when={decisionText(card(), props.userId)}>
            <p class="small-text decided">{decisionText(card(), props.userId)}</p>
          </Show>
          <p class="section-label">{t('toolCard.arguments')}</p>
          <ArgumentsView arguments={card().arguments} />
          <Show when={card().proposedArguments}>
            {(proposed) => (
              <details class="proposed">
                <summary class="small-text">{t('toolCard.proposedBefore')}</summary>
                <ArgumentsView arguments={proposed()} />
              </details>
            )}
          </Show>
          <Show when={running() && props.progress}>{(progress) => <ToolProgressBar progress={progress()} />}</Show>
          <Show when={card().result !== undefined}>
            <details class="tool-result" open={card().status === 'failed'}>
              <summary class="section-label">{card().status === 'failed' ? t('toolCard.error') : t('toolCard.result')}</summary>
              <pre class="result-text">{card().result}</pre>
            </details>
          </Show>
          <Show when={card().media?.length ? card().media : undefined}>
            {(media) => <ToolMediaView media={media()} toolTitle={card().tool.title} serverId={card().tool.serverId} />}
          </Show>
          <Show when={card().structured !== undefined}>
            <details class="tool-structured">
              <summary class="section-label">{t('toolCard.structured')}</summary>
              <pre class="argument-json">{JSON.stringify(card().structured, null, 2)}</pre>
            </details>
          </Show>
        </div>
      </details>
      <CallQuestions toolCallId={card().toolCallId} />
    </>
  );
}

function decisionText(card: ToolCallCard, userId: string): string | undefined {
  if (!card.decision) return undefined;
  const who = t(
    card.decidedBy?.kind === 'person'
      ? card.decidedBy.userId === userId
        ? 'toolCard.you'
        : 'toolCard.anotherPerson'
      : 'toolCard.thePolicy',
  );
  const because = card.reason ?? '';
  switch (card.decision) {
    case 'approved':
      return t('toolCard.approvedBy', who);
    case 'edited':
      return t('toolCard.editedBy', who);
    case 'rejected':
      return t('toolCard.rejectedBy', who, because);
    case 'auto':
      return t('toolCard.auto');
    // Not only a policy: also a tool held for an admin's review, or one Countersign cannot call; the reason says which.
    case 'denied':
      return t('toolCard.deniedHere', because);
  }
}
