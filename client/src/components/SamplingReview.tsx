/**
 * A server asks to use the chat's model (MCP sampling), reviewed in two steps: first the request
 * (its messages, system prompt, the server's model preferences and the token cap), then the
 * model's reply, before it goes back to the server. Nothing reaches the model, or the server,
 * without the person's say.
 */
import { For, Show } from 'solid-js';
import type { QuestionAnswer, SamplingQuestion } from '../../../shared/questions.ts';

export function SamplingReview(props: { question: SamplingQuestion; busy: boolean; onAnswer: (answer: QuestionAnswer) => Promise<void> }) {
  const question = () => props.question;
  const actions = (approveLabel: string) => (
    <div class="approval-actions">
      <button type="button" class="button primary" disabled={props.busy} onClick={() => void props.onAnswer({ action: 'approve' })}>
        {approveLabel}
      </button>
      <button type="button" class="button danger-outline" disabled={props.busy} onClick={() => void props.onAnswer({ action: 'reject' })}>
        Reject
      </button>
    </div>
  );

  return (
    <div class="question-body">
      <Show
        when={question().stage === 'result' && question().result}
        fallback={
          <>
            <p class="section-label">Messages for the model</p>
            <ol class="sampling-messages">
              <For each={question().messages}>
                {(message) => (
                  <li>
                    <span class="sampling-role">{message.role === 'user' ? 'User' : 'Assistant'}</span>
                    <pre class="result-text">{message.text}</pre>
                  </li>
                )}
              </For>
            </ol>
            <Show when={question().systemPrompt}>
              {(prompt) => (
                <>
                  <p class="section-label">System prompt</p>
                  <pre class="result-text">{prompt()}</pre>
                </>
              )}
            </Show>
            <Show when={question().modelPreferences}>{(preferences) => <ModelPreferences preferences={preferences()} />}</Show>
            <p class="small-text">
              The chat’s model writes the reply, at most {question().maxTokens.toLocaleString('en-US')} tokens; you see it before{' '}
              {question().serverName} does.
            </p>
            {actions('Approve')}
          </>
        }
      >
        {(result) => (
          <>
            <p class="section-label">The model’s reply</p>
            <pre class="result-text">{result().text}</pre>
            <p class="small-text muted">
              Written by {result().model}
              {result().stopReason ? ` (stopped: ${result().stopReason})` : ''}. Send it to {question().serverName}?
            </p>
            {actions('Send')}
          </>
        )}
      </Show>
    </div>
  );
}

/** What the server would prefer: hints name models, priorities run from 0 (unimportant) to 1. The chat's own model answers regardless. */
function ModelPreferences(props: { preferences: NonNullable<SamplingQuestion['modelPreferences']> }) {
  const priorities = () =>
    (
      [
        ['Cost', props.preferences.costPriority],
        ['Speed', props.preferences.speedPriority],
        ['Intelligence', props.preferences.intelligencePriority],
      ] as const
    ).filter(([, value]) => value !== undefined);
  return (
    <Show when={props.preferences.hints.length > 0 || priorities().length > 0}>
      <p class="section-label">What the server would prefer (priorities from 0 to 1)</p>
      <dl class="arguments">
        <Show when={props.preferences.hints.length > 0}>
          <div class="argument">
            <dt>Models</dt>
            <dd>{props.preferences.hints.join(', ')}</dd>
          </div>
        </Show>
        <For each={priorities()}>
          {([name, value]) => (
            <div class="argument">
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          )}
        </For>
      </dl>
    </Show>
  );
}
