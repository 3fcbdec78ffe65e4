/**
 * The small form above the message box that asks for what a chosen prompt or resource template
 * needs: a field per argument (or template variable), each completed by its server with the
 * others filled in so far as context. Enter in the last field, or the button, does `action`;
 * Escape or Cancel goes back to the message. It is part of the composer's form, so it is a
 * fieldset whose buttons never submit the message.
 */
import { createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { errorMessage } from '../api/errors.ts';
import { CompletedField } from './CompletedField.tsx';
import { t } from '../../../shared/i18n/t.ts';

export interface ArgumentField {
  name: string;
  description: string | null;
  required: boolean;
}

export function ArgumentsForm(props: {
  title: string;
  description: string | null;
  fields: ArgumentField[];
  /** The button's words: "Insert", "Attach". */
  action: string;
  complete: (name: string, value: string, context: Record<string, string>) => Promise<string[]>;
  /** Rejects with what went wrong, which the form shows; resolves once done. */
  onSubmit: (values: Record<string, string>) => Promise<void>;
  onCancel: () => void;
}) {
  const [values, setValues] = createStore<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const filled = () => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
  const missing = () => props.fields.filter((field) => field.required && !values[field.name]).map((field) => field.name);

  const submit = async () => {
    if (busy()) return;
    if (missing().length > 0) {
      setError(t('argumentsForm.fillIn', missing().join(', ')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(filled());
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset class="arguments-form" aria-busy={busy()}>
      <legend>{props.title}</legend>
      <Show when={props.description}>
        <p class="small-text muted">{props.description}</p>
      </Show>
      <For each={props.fields}>
        {(field, index) => (
          <CompletedField
            name={field.name}
            description={field.description}
            required={field.required}
            value={values[field.name] ?? ''}
            onInput={(value) => setValues(field.name, value)}
            complete={(value) => {
              const { [field.name]: _, ...context } = filled();
              return props.complete(field.name, value, context);
            }}
            onEnter={() => void submit()}
            onEscape={props.onCancel}
            autofocus={index() === 0}
          />
        )}
      </For>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="arguments-actions">
        <button type="button" class="button small" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" class="button small primary" disabled={busy()} onClick={() => void submit()}>
          {props.action}
        </button>
      </div>
    </fieldset>
  );
}
