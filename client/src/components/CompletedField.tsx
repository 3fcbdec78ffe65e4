/**
 * One argument of a prompt, or one variable of a resource template: a text field (an ARIA
 * combobox) whose suggestions come from the server (`servers.complete`) once the person pauses
 * typing, and when the field gets focus. Arrows move through them, Enter takes one, Escape closes
 * them; with none shown, Enter and Escape are the form's.
 */
import { createSignal, createUniqueId, onCleanup, onMount, Show } from 'solid-js';
import { LIMITS } from '../../../shared/limits.ts';
import { optionId, PickerList } from './PickerList.tsx';
import { t } from '../../../shared/i18n/t.ts';

/** Long enough that a quick typist asks once per pause, short enough to feel immediate. */
const PAUSE_MS = 250;

export function CompletedField(props: {
  name: string;
  description: string | null;
  required: boolean;
  value: string;
  onInput: (value: string) => void;
  /** The server's suggestions for `value`; none when it has none, or could not say. */
  complete: (value: string) => Promise<string[]>;
  onEnter: () => void;
  onEscape: () => void;
  autofocus?: boolean;
}) {
  const [suggestions, setSuggestions] = createSignal<string[]>([]);
  const [active, setActive] = createSignal(0);
  const listId = createUniqueId();
  const hintId = createUniqueId();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let input!: HTMLInputElement;
  onCleanup(() => clearTimeout(timer));
  // The autofocus attribute only works as a page loads; this field appears later.
  onMount(() => {
    if (props.autofocus) input.focus();
  });

  const ask = (value: string) => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++asked;
      const values = await props.complete(value);
      // A newer question, a suggestion taken, or the person moved on: this answer is no longer wanted.
      if (mine !== asked || document.activeElement !== input) return;
      // The value typed already is no suggestion.
      setSuggestions(values.filter((v) => v !== props.value));
      setActive(0);
    }, PAUSE_MS);
  };
  const close = () => {
    clearTimeout(timer);
    asked++;
    setSuggestions([]);
  };
  const take = (value: string) => {
    props.onInput(value);
    close();
  };
  const open = () => suggestions().length > 0;

  return (
    <div class="field completed-field">
      <label class="field-label" for={`${listId}-input`}>
        {props.name}
        {props.required ? ' (required)' : ''}
      </label>
      <input
        ref={input}
        id={`${listId}-input`}
        class="input"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open()}
        aria-controls={listId}
        aria-activedescendant={open() ? optionId(listId, active()) : undefined}
        aria-describedby={props.description ? hintId : undefined}
        aria-required={props.required}
        maxLength={LIMITS.promptArgument}
        value={props.value}
        onInput={(e) => {
          props.onInput(e.currentTarget.value);
          ask(e.currentTarget.value);
        }}
        onFocus={() => ask(props.value)}
        onBlur={close}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && open()) {
            e.preventDefault();
            setActive((i) => (i + 1) % suggestions().length);
          } else if (e.key === 'ArrowUp' && open()) {
            e.preventDefault();
            setActive((i) => (i - 1 + suggestions().length) % suggestions().length);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (open()) take(suggestions()[active()]!);
            else props.onEnter();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            if (open()) close();
            else props.onEscape();
          }
        }}
      />
      <Show when={props.description}>
        <span id={hintId} class="small-text muted">
          {props.description}
        </span>
      </Show>
      <Show when={open()}>
        <PickerList
          id={listId}
          label={t('field.suggestions', props.name)}
          options={suggestions().map((value) => ({ label: value, detail: '' }))}
          active={active()}
          onChoose={(index) => take(suggestions()[index]!)}
          onActive={setActive}
          empty=""
          notes={[]}
        />
      </Show>
    </div>
  );
}
