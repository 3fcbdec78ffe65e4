/**
 * One field of an elicitation form, as the input its schema calls for: a checkbox for yes or no,
 * radio buttons (or a list, when there are many) for one choice, checkboxes for several, and the
 * browser's own inputs for numbers, email addresses, URIs, dates and times. Its description,
 * bounds and problem are tied to it with aria-describedby, so a screen reader reads them with it.
 */
import { createUniqueId, For, Match, Show, Switch } from 'solid-js';
import type { ElicitationValue } from '../../../shared/elicitation-defaults.ts';
import { fieldChoices, fieldLabel, fieldLimits } from '../../../shared/elicitation-form.ts';
import type { ElicitationField } from '../../../shared/questions.ts';
import { t } from '../../../shared/i18n/t.ts';

/** Up to this many single choices show as radio buttons, all in view; more as a list to pick from. */
const RADIO_LIMIT = 5;

export function ElicitationFieldView(props: {
  name: string;
  field: ElicitationField;
  required: boolean;
  value: ElicitationValue | undefined;
  problem: string | undefined;
  disabled: boolean;
  onChange: (value: ElicitationValue | undefined) => void;
  /** Focus left the field: its problem shows from now on. */
  onLeave: () => void;
}) {
  const id = createUniqueId();
  const field = props.field;
  const choices = fieldChoices(field) ?? [];
  const limits = fieldLimits(field, t('form'));
  const describedBy = () =>
    [field.description && `${id}-about`, limits && `${id}-limits`, props.problem && `${id}-problem`].filter(Boolean).join(' ') || undefined;
  const invalid = () => props.problem !== undefined;
  // Set once: after that the typing is the input's own, and a reactive value would wipe what the browser cannot read yet.
  const initial = shown(field, props.value);
  const leave = (event: FocusEvent & { currentTarget: HTMLElement }) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) props.onLeave();
  };
  const title = fieldLabel(props.name, field);
  // The required mark is drawn by CSS (.required), so it is not part of the field's name.
  const labelClass = (base: string) => (props.required ? `${base} required` : base);
  // What the field is for and its bounds go before the input, read first; its problem after it.
  const hints = () => (
    <>
      <Show when={field.description}>
        <p id={`${id}-about`} class="field-hint">
          {field.description}
        </p>
      </Show>
      <Show when={limits}>
        <p id={`${id}-limits`} class="field-hint">
          {limits}
        </p>
      </Show>
    </>
  );
  const problem = () => (
    <Show when={props.problem}>
      <p id={`${id}-problem`} class="field-problem">
        {props.problem}
      </p>
    </Show>
  );
  const chosen = () => (Array.isArray(props.value) ? props.value : []);
  const toggle = (value: string, on: boolean) => props.onChange(on ? [...chosen(), value] : chosen().filter((item) => item !== value));

  return (
    <Switch>
      <Match when={field.type === 'boolean'}>
        <div class="question-field" onFocusOut={leave}>
          <label class={labelClass('checkbox')}>
            <input
              type="checkbox"
              checked={props.value === true}
              disabled={props.disabled}
              aria-invalid={invalid()}
              aria-describedby={describedBy()}
              onChange={(e) => props.onChange(e.currentTarget.checked)}
            />
            {title}
          </label>
          {hints()}
          {problem()}
        </div>
      </Match>
      <Match when={field.type === 'array' || (field.type === 'string' && choices.length > 0 && choices.length <= RADIO_LIMIT)}>
        <fieldset class="question-field" aria-describedby={describedBy()} onFocusOut={leave}>
          <legend class={labelClass('field-label')}>{title}</legend>
          {hints()}
          <Show when={field.type === 'string' && !props.required}>
            <label class="checkbox">
              <input
                type="radio"
                name={id}
                checked={props.value === undefined}
                disabled={props.disabled}
                onChange={() => props.onChange(undefined)}
              />
              {t('field.noAnswer')}
            </label>
          </Show>
          <For each={choices}>
            {(choice) => (
              <label class="checkbox">
                <input
                  type={field.type === 'array' ? 'checkbox' : 'radio'}
                  name={id}
                  value={choice.value}
                  required={field.type === 'string' && props.required}
                  checked={field.type === 'array' ? chosen().includes(choice.value) : props.value === choice.value}
                  disabled={props.disabled}
                  aria-invalid={invalid()}
                  onChange={(e) => (field.type === 'array' ? toggle(choice.value, e.currentTarget.checked) : props.onChange(choice.value))}
                />
                {choice.label}
              </label>
            )}
          </For>
          {problem()}
        </fieldset>
      </Match>
      <Match when={choices.length > 0}>
        <div class="question-field" onFocusOut={leave}>
          <label for={id} class={labelClass('field-label')}>
            {title}
          </label>
          {hints()}
          <select
            id={id}
            class="input"
            required={props.required}
            disabled={props.disabled}
            aria-invalid={invalid()}
            aria-describedby={describedBy()}
            onChange={(e) => props.onChange(e.currentTarget.value || undefined)}
          >
            <option value="" selected={props.value === undefined}>
              {props.required ? t('field.choose') : t('field.noAnswer')}
            </option>
            <For each={choices}>
              {(choice) => (
                <option value={choice.value} selected={props.value === choice.value}>
                  {choice.label}
                </option>
              )}
            </For>
          </select>
          {problem()}
        </div>
      </Match>
      <Match when={true}>
        <div class="question-field" onFocusOut={leave}>
          <label for={id} class={labelClass('field-label')}>
            {title}
          </label>
          {hints()}
          <input
            id={id}
            class="input"
            type={inputType(field)}
            step={stepOf(field)}
            min={field.type === 'number' || field.type === 'integer' ? field.minimum : undefined}
            max={field.type === 'number' || field.type === 'integer' ? field.maximum : undefined}
            value={initial}
            required={props.required}
            disabled={props.disabled}
            aria-invalid={invalid()}
            aria-describedby={describedBy()}
            onInput={(e) => props.onChange(read(field, e.currentTarget))}
          />
          {problem()}
        </div>
      </Match>
    </Switch>
  );
}

function inputType(field: ElicitationField): string {
  if (field.type === 'number' || field.type === 'integer') return 'number';
  if (field.type !== 'string' || !field.format) return 'text';
  return { email: 'email', uri: 'url', date: 'date', 'date-time': 'datetime-local' }[field.format];
}

/** Whole numbers go up by one, other numbers by any amount, a time by the second. */
function stepOf(field: ElicitationField): number | 'any' | undefined {
  if (field.type === 'integer') return 1;
  if (field.type === 'number') return 'any';
  return field.type === 'string' && field.format === 'date-time' ? 1 : undefined;
}

function shown(field: ElicitationField, value: ElicitationValue | undefined): string {
  if (value === undefined) return '';
  return field.type === 'string' && field.format === 'date-time' ? localTime(String(value)) : String(value);
}

/** What the input holds, as the schema's type: nothing when empty, NaN for a number the browser cannot read (refused as such). */
function read(field: ElicitationField, input: HTMLInputElement): ElicitationValue | undefined {
  if (field.type === 'number' || field.type === 'integer') {
    if (input.validity.badInput) return Number.NaN;
    return input.value === '' ? undefined : input.valueAsNumber;
  }
  if (input.value === '') return undefined;
  return field.type === 'string' && field.format === 'date-time' ? new Date(input.value).toISOString() : input.value;
}

/** An RFC 3339 time as `<input type="datetime-local">` shows it: in the person's own time zone, to the second. */
function localTime(value: string): string {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return '';
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}
