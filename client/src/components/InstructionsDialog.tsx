/**
 * Shows and edits instructions a person writes for the model (their own, or one chat's): what is
 * set now, in the box, with how much of the limit it takes. Saving an empty box clears them.
 */
import { createSignal, onMount, Show } from 'solid-js';
import { LIMITS } from '../../../shared/limits.ts';
import { errorMessage } from '../api/errors.ts';
import { Dialog } from './Dialog.tsx';

export function InstructionsDialog(props: {
  title: string;
  label: string;
  /** Where these instructions apply, for the person deciding what to write. */
  hint: string;
  text: string;
  onSave: (text: string) => Promise<void>;
  onClose: () => void;
}) {
  const [text, setText] = createSignal(props.text);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let box!: HTMLTextAreaElement;
  onMount(() => box.focus());
  const hintId = `instructions-hint-${Math.random().toString(36).slice(2)}`;
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSave(text().trim());
      props.onClose();
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={save}>
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
          {props.hint} {text().length.toLocaleString('en-US')} of {LIMITS.instructions.toLocaleString('en-US')} characters.
        </p>
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={busy()}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
