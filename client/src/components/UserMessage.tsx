/**
 * A message the person sent: shown as they typed it, never as markdown. While its run waits for a
 * slot the model has not seen it yet, and it says so.
 */
import { Show } from 'solid-js';

export function UserMessage(props: { text: string; waiting?: boolean }) {
  return (
    <div class="message user" classList={{ waiting: props.waiting }}>
      <div class="bubble">{props.text}</div>
      <Show when={props.waiting}>
        <p class="message-note small-text muted">Not sent yet</p>
      </Show>
    </div>
  );
}
