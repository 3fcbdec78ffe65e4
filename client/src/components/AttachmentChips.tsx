/**
 * Resources attached to a message, as chips: above the message box, each removable until the
 * message is sent; and in the chat, under the message that carried them.
 */
import { For, Show } from 'solid-js';
import type { AttachmentDto } from '../../../shared/chat-events.ts';
import { Icon } from './Icon.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function AttachmentChips(props: { attachments: AttachmentDto[]; onRemove?: (attachment: AttachmentDto) => void }) {
  return (
    <Show when={props.attachments.length > 0}>
      <ul class="attachment-chips" aria-label={t('attachments.label')}>
        <For each={props.attachments}>
          {(attachment) => (
            <li class="attachment-chip" title={attachment.uri}>
              <span class="attachment-name">{attachment.name}</span>
              <Show when={props.onRemove}>
                {(remove) => (
                  <button
                    type="button"
                    class="icon-button small"
                    aria-label={t('attachments.remove', attachment.name)}
                    onClick={() => remove()(attachment)}
                  >
                    <Icon name="close" size={14} />
                  </button>
                )}
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
