/** Asks before something that cannot be undone; the safe choice has the focus. */
import { createSignal, Show, type JSX } from 'solid-js';
import { Dialog } from './Dialog.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ConfirmDialog(props: {
  title: string;
  children: JSX.Element;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <div class="dialog-text">{props.children}</div>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="dialog-actions">
        <button type="button" class="button" autofocus onClick={() => props.onClose()}>
          {t('common.cancel')}
        </button>
        <button type="button" class={props.danger ? 'button danger' : 'button primary'} disabled={busy()} onClick={confirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
