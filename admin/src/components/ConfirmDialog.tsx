/**
 * Asks before an action that takes effect at once, saying what happens. A modal <dialog>: focus
 * moves into it (to the safe choice) and stays there, Escape cancels, and focus goes back to what
 * opened it, or, when that left the page with the action (a revoked token's row), to `returnFocus`.
 * A failure is shown inside and the dialog stays open, so the admin can try again or cancel.
 */
import { createSignal, createUniqueId, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import { describeError } from '../lib/api.ts';

export function ConfirmDialog(props: {
  title: string;
  children: JSX.Element;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  returnFocus?: () => HTMLElement | undefined;
}) {
  let dialog!: HTMLDialogElement;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const titleId = `confirm-${createUniqueId()}`;
  onMount(() => dialog.showModal());
  onCleanup(() => {
    // Closed first: while the modal is open, everything outside it is inert and cannot take focus.
    dialog.close();
    (opener?.isConnected ? opener : props.returnFocus?.())?.focus();
  });
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (thrown) {
      setError(describeError(thrown));
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <div class="dialog-text">{props.children}</div>
      <Show when={error()}>
        <p class="notice error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="dialog-actions">
        <button class="button" type="button" autofocus onClick={() => props.onClose()}>
          {t('console.common.cancel')}
        </button>
        <button class={`button ${props.danger ? 'danger' : 'primary'}`} type="button" disabled={busy()} onClick={() => void confirm()}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
