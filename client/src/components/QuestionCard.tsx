/**
 * A question a server asks the person during one of their tool calls, shown like an approval
 * under that call's card: a form to fill in, a link to open, or a request to use the chat's model.
 * It comes from the chat's history, so a reload keeps it; it goes when `question_settled` arrives,
 * so every tab agrees. A refused answer says why here, and the card stays to be answered again.
 */
import { createEffect, createSignal, createUniqueId, Match, on, onMount, Show, Switch } from 'solid-js';
import type { PendingQuestion, QuestionAnswer } from '../../../shared/questions.ts';
import { mayTakeFocus } from '../lib/may-take-focus.ts';
import { ElicitationForm } from './ElicitationForm.tsx';
import { SamplingReview } from './SamplingReview.tsx';
import { UrlElicitationView } from './UrlElicitationView.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function QuestionCard(props: { question: PendingQuestion; onAnswer: (answer: QuestionAnswer) => Promise<string | null> }) {
  const [busy, setBusy] = createSignal(false);
  const [sent, setSent] = createSignal<QuestionAnswer | null>(null);
  const [refusal, setRefusal] = createSignal<string | null>(null);
  const [announcement, setAnnouncement] = createSignal('');
  const titleId = createUniqueId();
  let card!: HTMLElement;

  const answer = async (chosen: QuestionAnswer) => {
    setBusy(true);
    setRefusal(null);
    const refused = await props.onAnswer(chosen);
    setBusy(false);
    if (refused) setRefusal(refused);
    else setSent(chosen);
  };
  // A sampling question asked again at its result stage is a new question (a reload updates it in place).
  createEffect(
    on(
      () => props.question.kind === 'sampling' && props.question.stage,
      () => setSent(null),
      { defer: true },
    ),
  );
  onMount(() => {
    if (mayTakeFocus()) card.focus();
    // A live region announces only a change made after it is in the page.
    else requestAnimationFrame(() => setAnnouncement(t('questionCard.waitsAnnounce', titleOf(props.question))));
  });

  return (
    <section ref={card} tabIndex={-1} class="approval-card question-card" aria-labelledby={titleId} aria-busy={busy()}>
      <header class="approval-head">
        <span id={titleId} class="approval-title">
          {titleOf(props.question)}
        </span>
        <span class="muted small-text">{t('questionCard.waits')}</span>
      </header>
      <Switch>
        <Match when={props.question.kind === 'elicitation' && props.question.mode === 'form' && props.question} keyed>
          {(form) => <ElicitationForm question={form} busy={busy() || sent() !== null} onAnswer={answer} />}
        </Match>
        <Match when={props.question.kind === 'elicitation' && props.question.mode === 'url' && props.question} keyed>
          {(link) => <UrlElicitationView question={link} busy={busy() || sent() !== null} onAnswer={answer} />}
        </Match>
        <Match when={props.question.kind === 'sampling' && props.question} keyed>
          {(sampling) => <SamplingReview question={sampling} busy={busy() || sent() !== null} onAnswer={answer} />}
        </Match>
      </Switch>
      <Show when={refusal()}>
        {(message) => (
          <p class="form-error" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <Show when={sent()}>
        {(chosen) => (
          <p class="muted small-text" role="status">
            {chosen().action === 'approve' && props.question.kind === 'sampling' && props.question.stage === 'request'
              ? t('questionCard.samplingApproved')
              : t('questionCard.sent')}
          </p>
        )}
      </Show>
      <p class="visually-hidden" role="status">
        {announcement()}
      </p>
    </section>
  );
}

function titleOf(question: PendingQuestion): string {
  if (question.kind === 'sampling') {
    return question.stage === 'request'
      ? t('questionCard.samplingRequest', question.serverName)
      : t('questionCard.samplingReply', question.serverName);
  }
  return question.mode === 'url' ? t('questionCard.linkAsk', question.serverName) : t('questionCard.formAsk', question.serverName);
}
