/**
 * A server asks to use the chat's model (MCP sampling), reviewed in two steps: first the request
 * (its messages, system prompt, the server's model preferences and the token cap), then the
 * model's reply, before it goes back to the server. Nothing reaches the model, or the server,
 * without the person's say.
 */
import { For, Show } from 'solid-js';
import type { QuestionAnswer, SamplingQuestion } from '../../../shared/questions.ts';
import { t } from '../../../shared/i18n/t.ts';

export function SamplingReview(props: { question: SamplingQuestion; busy: boolean; onAnswer: (answer: QuestionAnswer) => Promise<void> }) {
  const question = () => props.question;
  const actions = (approveLabel: string) => (
    <div class="approval-actions">
      <button type="button" class="button primary" disabled={props.busy} onClick={() => void props.onAnswer({ action: 'approve' })}>
        {approveLabel}
      </button>
      <button type="button" class="button danger-outline" disabled={props.busy} onClick={() => void props.onAnswer({ action: 'reject' })}>
        {t('approval.reject')}
      </button>
    </div>
  );

  return (
    <div class="question-body">
      <Show
        when={question().stage === 'result' && question().result}
        fallback={
          <>
            <p class="section-label">{t('sampling.messages')}</p>
            <ol class="sampling-messages">
              <For each={question().messages}>
                {(message) => (
                  <li>
                    <span class="sampling-role">{message.role === 'user' ? t('sampling.user') : t('sampling.assistant')}</span>
                    <pre class="result-text">{message.text}</pre>
                  </li>
                )}
              </For>
            </ol>
            <Show when={question().systemPrompt}>
              {(prompt) => (
                <>
                  <p class="section-label">{t('sampling.systemPrompt')}</p>
                  <pre class="result-text">{prompt()}</pre>
                </>
              )}
            </Show>
            <Show when={question().modelPreferences}>{(preferences) => <ModelPreferences preferences={preferences()} />}</Show>
            <p class="small-text">{t('sampling.cap', question().maxTokens, question().serverName)}</p>
            {actions(t('sampling.approve'))}
          </>
        }
      >
        {(result) => (
          <>
            <p class="section-label">{t('sampling.reply')}</p>
            <pre class="result-text">{result().text}</pre>
            <p class="small-text muted">{t('sampling.writtenBy', result().model, result().stopReason ?? '', question().serverName)}</p>
            {actions(t('sampling.send'))}
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
        ['sampling.cost', props.preferences.costPriority],
        ['sampling.speed', props.preferences.speedPriority],
        ['sampling.intelligence', props.preferences.intelligencePriority],
      ] as const
    ).filter(([, value]) => value !== undefined);
  return (
    <Show when={props.preferences.hints.length > 0 || priorities().length > 0}>
      <p class="section-label">{t('sampling.prefers')}</p>
      <dl class="arguments">
        <Show when={props.preferences.hints.length > 0}>
          <div class="argument">
            <dt>{t('sampling.models')}</dt>
            <dd>{props.preferences.hints.join(', ')}</dd>
          </div>
        </Show>
        <For each={priorities()}>
          {([name, value]) => (
            <div class="argument">
              <dt>{t(name)}</dt>
              <dd>{value}</dd>
            </div>
          )}
        </For>
      </dl>
    </Show>
  );
}
