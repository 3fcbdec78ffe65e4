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

const statusText: Record<ToolCallCard['status'], string> = {
  proposed: 'Proposed',
  awaiting_approval: 'Waiting for your approval',
  running: 'Running…',
  succeeded: 'Done',
  failed: 'Failed',
  rejected: 'Rejected',
  denied: 'Not available',
  not_run: 'Not run',
  awaiting_sign_in: 'Waiting for you to sign in',
  cancelled: 'Cancelled',
};

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
            <span class="muted small-text">on {card().tool.serverName}</span>
          </Show>
          <span class="tool-status">{statusText[card().status]}</span>
        </summary>
        <div class="tool-card-body">
          <Show when={decisionText(card(), props.userId)}>
            <p class="small-text decided">{decisionText(card(), props.userId)}</p>
          </Show>
          <p class="section-label">Arguments</p>
          <ArgumentsView arguments={card().arguments} />
          <Show when={card().proposedArguments}>
            {(proposed) => (
              <details class="proposed">
                <summary class="small-text">What the assistant proposed before your edit</summary>
                <ArgumentsView arguments={proposed()} />
              </details>
            )}
          </Show>
          <Show when={running() && props.progress}>{(progress) => <ToolProgressBar progress={progress()} />}</Show>
          <Show when={card().result !== undefined}>
            <details class="tool-result" open={card().status === 'failed'}>
              <summary class="section-label">{card().status === 'failed' ? 'Error' : 'Result'}</summary>
              <pre class="result-text">{card().result}</pre>
            </details>
          </Show>
          <Show when={card().media?.length ? card().media : undefined}>
            {(media) => <ToolMediaView media={media()} toolTitle={card().tool.title} serverId={card().tool.serverId} />}
          </Show>
          <Show when={card().structured !== undefined}>
            <details class="tool-structured">
              <summary class="section-label">Structured content</summary>
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
  const who = card.decidedBy?.kind === 'person' ? (card.decidedBy.userId === userId ? 'you' : 'another person') : 'the policy';
  const because = card.reason && (card.decision === 'rejected' || card.decision === 'denied') ? `: ${card.reason}` : '';
  switch (card.decision) {
    case 'approved':
      return `Approved by ${who}.`;
    case 'edited':
      return `Approved by ${who} with edited arguments.`;
    case 'rejected':
      return `Rejected by ${who}${because}.`;
    case 'auto':
      return 'Ran without asking: this tool is allowed by the policy or for this chat.';
    // Not only a policy: also a tool held for an admin's review, or one Countersign cannot call; the reason says which.
    case 'denied':
      return `Not available in this chat${because}.`;
  }
}
