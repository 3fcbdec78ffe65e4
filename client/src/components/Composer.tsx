/**
 * The message box: Enter sends, Shift+Enter starts a new line, and while the assistant answers
 * the send button becomes Stop. The box grows with its text up to a limit.
 */
import { createEffect, createSignal, on, Show } from 'solid-js';
import { LIMITS } from '../../../shared/limits.ts';
import { Icon } from './Icon.tsx';

export function Composer(props: {
  /** Resolves false when the message was not sent, so the text stays in the box. */
  onSend: (text: string) => Promise<boolean>;
  onStop?: () => void;
  running?: boolean;
  disabled?: boolean;
  disabledReason?: string;
  placeholder?: string;
  /** Text to put in the box (an example the person picked, a message that was not sent), ready to edit or send. */
  suggestion?: string;
}) {
  const [text, setText] = createSignal('');
  const [sending, setSending] = createSignal(false);
  let box!: HTMLTextAreaElement;

  const fitHeight = () => {
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight, 240)}px`;
  };
  createEffect(
    on(
      () => props.suggestion,
      (suggestion) => {
        if (!suggestion) return;
        setText(suggestion);
        queueMicrotask(fitHeight);
        box.focus();
      },
      { defer: true },
    ),
  );
  const canSend = () => text().trim() !== '' && !sending() && !props.running && !props.disabled;

  const send = async () => {
    if (!canSend()) return;
    const message = text().trim();
    setSending(true);
    setText('');
    queueMicrotask(fitHeight);
    const sent = await props.onSend(message);
    setSending(false);
    if (!sent) {
      setText(message);
      queueMicrotask(fitHeight);
    }
    box.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <Show when={props.disabled && props.disabledReason}>
        <p class="composer-note">{props.disabledReason}</p>
      </Show>
      <div class="composer-box">
        <textarea
          ref={box}
          class="composer-input"
          rows={1}
          maxLength={LIMITS.message}
          placeholder={props.placeholder ?? 'Message Countersign'}
          aria-label="Message"
          value={text()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            fitHeight();
          }}
          onKeyDown={(e) => {
            // isComposing: Enter that confirms an IME composition (Japanese, Chinese…) is not a send.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
          autofocus
        />
        <Show
          when={props.running}
          fallback={
            <button type="submit" class="send-button" aria-label="Send message" disabled={!canSend()}>
              <Icon name="send" />
            </button>
          }
        >
          <button type="button" class="send-button stop" aria-label="Stop answering" onClick={() => props.onStop?.()}>
            <Icon name="stop" />
          </button>
        </Show>
      </div>
      <p class="composer-hint">Enter to send · Shift+Enter for a new line · tools run only as you allow</p>
    </form>
  );
}
