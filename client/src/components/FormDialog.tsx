/**
 * A dialog holding one form that saves on Enter or Save: busy while saving, closed once saved,
 * and a refusal said inside it (the dialog stays, to try again or cancel).
 */
import { createSignal, type JSX, Show } from 'solid-js';
import { errorMessage } from '../api/errors.ts';
import { Dialog } from './Dialog.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function FormDialog(props: { title: string; onSave: () => Promise<void>; onClose: () => void; children: JSX.Element }) {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSave();
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
        {props.children}
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button primary" disabled={busy()}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
