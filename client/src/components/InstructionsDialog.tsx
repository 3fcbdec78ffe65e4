/**
 * Shows and edits instructions a person writes for the model (their own, or one chat's): what is
 * set now, in the box, with how much of the limit it takes. Saving an empty box clears them.
 */
import { createSignal, type JSX, onMount } from 'solid-js';
import { LIMITS } from '../../../shared/limits.ts';
import { t } from '../../../shared/i18n/t.ts';
import { FormDialog } from './FormDialog.tsx';

export function InstructionsDialog(props: {
  title: string;
  label: string;
  /** Where these instructions apply, for the person deciding what to write. */
  hint: string;
  text: string;
  onSave: (text: string) => Promise<void>;
  onClose: () => void;
  /** More fields saved with the same Save, above the instructions. */
  children?: JSX.Element;
}) {
  const [text, setText] = createSignal(props.text);
  let box!: HTMLTextAreaElement;
  onMount(() => box.focus());
  const hintId = `instructions-hint-${Math.random().toString(36).slice(2)}`;
  return (
    <FormDialog title={props.title} onSave={() => props.onSave(text().trim())} onClose={props.onClose}>
      {props.children}
      <label class="field">
        <span class="field-label">{props.label}</span>
        <textarea
          ref={box}
          class="input"
          rows={10}
          maxLength={LIMITS.instructions}
          aria-describedby={hintId}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <p id={hintId} class="field-hint">
        {props.hint} {t('instructions.length', text().length, LIMITS.instructions)}
      </p>
    </FormDialog>
  );
}
