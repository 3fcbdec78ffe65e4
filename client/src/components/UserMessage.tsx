/**
 * A message the person sent: shown as they typed it, never as markdown, with the names of the
 * resources they attached and the files they uploaded, and a button that copies its text. While its run waits for a slot the
 * model has not seen it yet, and it says so. Once sent it can be edited (the chat forks there),
 * and an edited one shows which of its versions this is.
 */
import { createSignal, Show } from 'solid-js';
import type { AttachmentDto, MessageBranch } from '../../../shared/chat-events.ts';
import type { FileDto } from '../../../shared/files.ts';
import type { MessageActions } from '../state/conversation-view.ts';
import { AttachmentChips } from './AttachmentChips.tsx';
import { BranchNavigator } from './BranchNavigator.tsx';
import { CopyMessageButton } from './CopyMessageButton.tsx';
import { MessageEditor } from './MessageEditor.tsx';
import { MessageFiles } from './MessageFiles.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function UserMessage(props: {
  id?: string;
  text: string;
  attachments?: AttachmentDto[];
  files?: FileDto[];
  waiting?: boolean;
  branch?: MessageBranch;
  /** Absent while the message is not in the history yet (local or waiting). */
  actions?: MessageActions;
}) {
  const [editing, setEditing] = createSignal(false);
  let editButton: HTMLButtonElement | undefined;
  const cancel = () => {
    setEditing(false);
    queueMicrotask(() => editButton?.focus());
  };
  // Sent, the message gives way to its new version: the focus goes where it is after any send.
  // Refused, the editor stays open with the text (the reason is shown above the composer).
  const save = async (text: string) => {
    if (!(await props.actions!.edit(props.id!, text))) return;
    setEditing(false);
    document.querySelector<HTMLElement>('.composer-input')?.focus();
  };
  return (
    <div class="message user" classList={{ waiting: props.waiting }}>
      <Show
        when={editing() && props.actions && props.id}
        fallback={
          <>
            {/* A message of files alone has no words to show or copy. */}
            <Show when={props.text}>
              <div class="bubble">{props.text}</div>
            </Show>
            <AttachmentChips attachments={props.attachments ?? []} />
            <MessageFiles files={props.files ?? []} />
            <div class="message-actions">
              <Show when={props.branch}>
                {(branch) => (
                  <BranchNavigator
                    branch={branch()}
                    disabled={props.actions?.busy() ?? true}
                    onSwitch={(id) => props.actions?.switchBranch(id)}
                  />
                )}
              </Show>
              <Show when={props.actions && props.id && !props.waiting}>
                <button
                  type="button"
                  class="message-action"
                  ref={editButton}
                  disabled={props.actions?.busy()}
                  onClick={() => setEditing(true)}
                >
                  {t('message.edit')}
                </button>
              </Show>
              <Show when={props.text}>
                <CopyMessageButton text={props.text} />
              </Show>
            </div>
          </>
        }
      >
        <MessageEditor text={props.text} onSave={save} onClose={cancel} />
      </Show>
      <Show when={props.waiting}>
        <p class="message-note small-text muted">{t('message.notSent')}</p>
      </Show>
    </div>
  );
}
