/**
 * A message the person sent: shown as they typed it, never as markdown, with the names of the
 * resources they attached, and a button that copies its text. While its run waits for a slot the
 * model has not seen it yet, and it says so.
 */
import { Show } from 'solid-js';
import type { AttachmentDto } from '../../../shared/chat-events.ts';
import { AttachmentChips } from './AttachmentChips.tsx';
import { CopyMessageButton } from './CopyMessageButton.tsx';

export function UserMessage(props: { text: string; attachments?: AttachmentDto[]; waiting?: boolean }) {
  return (
    <div class="message user" classList={{ waiting: props.waiting }}>
      <div class="bubble">{props.text}</div>
      <AttachmentChips attachments={props.attachments ?? []} />
      <CopyMessageButton text={props.text} />
      <Show when={props.waiting}>
        <p class="message-note small-text muted">Not sent yet</p>
      </Show>
    </div>
  );
}
