/** Renames a chat: the current title selected, Enter saves, Escape cancels. */
import { createSignal, onMount, Show } from 'solid-js';
import { LIMITS } from '../../../shared/limits.ts';
import { errorMessage } from '../api/errors.ts';
import { Dialog } from './Dialog.tsx';

export function RenameDialog(props: { title: string; onSave: (title: string) => Promise<void>; onClose: () => void }) {
  const [title, setTitle] = createSignal(props.title);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let input!: HTMLInputElement;
  onMount(() => input.select());
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const next = title().trim();
    if (!next) return void setError('A title cannot be empty.');
    setBusy(true);
    try {
      await props.onSave(next);
      props.onClose();
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Rename chat" onClose={props.onClose}>
      <form onSubmit={save}>
        <label class="field">
          <span class="field-label">Title</span>
          <input ref={input} class="input" value={title()} maxLength={LIMITS.title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
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
