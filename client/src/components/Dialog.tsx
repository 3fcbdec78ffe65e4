/**
 * A modal dialog on the native <dialog>: the browser keeps focus inside it, Escape closes it,
 * and focus returns to what opened it.
 */
import { onCleanup, onMount, type JSX } from 'solid-js';

export function Dialog(props: { title: string; onClose: () => void; children: JSX.Element; class?: string }) {
  let dialog!: HTMLDialogElement;
  const opener = document.activeElement as HTMLElement | null;
  onMount(() => dialog.showModal());
  // Closed first: while the modal is open everything outside it is inert, so focusing the opener
  // would do nothing and focus would fall to <body> when the dialog leaves the page.
  onCleanup(() => {
    dialog.close();
    opener?.focus();
  });
  const titleId = `dialog-${Math.random().toString(36).slice(2)}`;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is a pointer shortcut for closing; the keyboard's equivalent is Escape, handled by onCancel.
    <dialog
      ref={dialog}
      class={`dialog ${props.class ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (event.target === dialog) props.onClose();
      }}
    >
      <div class="dialog-body">
        <h2 id={titleId} class="dialog-title">
          {props.title}
        </h2>
        {props.children}
      </div>
    </dialog>
  );
}
