/**
 * A form built from the schema a server requested: its defaults filled in, each field as the
 * input its type calls for, checked with the rules the server applies again
 * (shared/elicitation-form.ts). A field's problem shows once the person has left it, or tried to
 * accept. Accept sends the values; Decline tells the server no; Cancel dismisses the question.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore, unwrap } from 'solid-js/store';
import type { ElicitationValue } from '../../../shared/elicitation-defaults.ts';
import { elicitationProblems, filledIn, initialValues } from '../../../shared/elicitation-form.ts';
import type { FormElicitation, QuestionAnswer } from '../../../shared/questions.ts';
import { ElicitationFieldView } from './ElicitationFieldView.tsx';
import { DeclineOrCancel } from './DeclineOrCancel.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ElicitationForm(props: { question: FormElicitation; busy: boolean; onAnswer: (answer: QuestionAnswer) => Promise<void> }) {
  // A plain copy: the defaults become this form's own values, not pieces of the conversation's store.
  const schema = structuredClone(unwrap(props.question.requestedSchema));
  const [values, setValues] = createStore<Record<string, ElicitationValue | undefined>>(initialValues(schema));
  const [left, setLeft] = createStore<Record<string, boolean>>({});
  const [tried, setTried] = createSignal(false);
  const problems = createMemo(() => elicitationProblems(schema, filledIn(values), t('form')));
  const problemOf = (name: string) => (tried() || left[name] ? problems().find((problem) => problem.field === name)?.message : undefined);
  // What no field of the form can show (a required name the schema never defines).
  const formProblems = () => (tried() ? problems().filter((problem) => !Object.hasOwn(schema.properties, problem.field)) : []);
  const required = (name: string) => schema.required?.includes(name) ?? false;
  let form!: HTMLFormElement;

  const accept = (event: SubmitEvent) => {
    event.preventDefault();
    setTried(true);
    if (problems().length > 0) return void form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    void props.onAnswer({ action: 'accept', content: filledIn(unwrap(values)) });
  };

  return (
    <form ref={form} class="question-body" novalidate onSubmit={accept}>
      <p class="question-message">{props.question.message}</p>
      <Show when={Object.keys(schema.properties).some(required)}>
        <p class="muted small-text">{t('questionCard.requiredNote')}</p>
      </Show>
      <For each={Object.entries(schema.properties)}>
        {([name, field]) => (
          <ElicitationFieldView
            name={name}
            field={field}
            required={required(name)}
            value={values[name]}
            problem={problemOf(name)}
            disabled={props.busy}
            onChange={(value) => setValues(name, value)}
            onLeave={() => setLeft(name, true)}
          />
        )}
      </For>
      <Show when={formProblems().length > 0}>
        <ul class="problems">
          <For each={formProblems()}>{(problem) => <li>{problem.message}</li>}</For>
        </ul>
      </Show>
      <p class="muted small-text">{t('questionCard.declineOrCancel', props.question.serverName)}</p>
      <div class="approval-actions">
        <button type="submit" class="button primary" disabled={props.busy}>
          {t('questionCard.accept')}
        </button>
        <DeclineOrCancel busy={props.busy} onAnswer={props.onAnswer} />
      </div>
    </form>
  );
}
