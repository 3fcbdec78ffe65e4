/**
 * A person's message as the checkpoint keeps it, and as the chat shows it. The model reads the
 * message's text: what the person typed, followed by each attached resource as a block naming
 * it. The chat shows what they typed and the attachments' names, kept beside the text
 * (`additional_kwargs`, which the model client never sends), so nothing is stored twice.
 */
import { HumanMessage } from '@langchain/core/messages';
import type { AttachmentDto, ChatMessageDto } from '../../shared/chat-events.ts';

/** A resource read for a message: what the chat shows of it, and `text`, its block for the model. */
export interface Attachment extends AttachmentDto {
  text: string;
}

type UserMessageDto = Extract<ChatMessageDto, { role: 'user' }>;

/** Where the chat's view of a message with attachments is kept in the message. */
interface Attached {
  /** How much of the message's text the person typed. */
  typedLength: number;
  attachments: AttachmentDto[];
}

const ATTACHED_KEY = 'countersign_attached';

export function userMessage(id: string, typed: string, attachments: readonly Attachment[]): HumanMessage {
  if (attachments.length === 0) return new HumanMessage({ content: typed, id });
  const attached: Attached = {
    typedLength: typed.length,
    attachments: attachments.map(({ serverId, uri, name }) => ({ serverId, uri, name })),
  };
  const content = [typed, ...attachments.map((attachment) => attachment.text)].join('\n\n');
  return new HumanMessage({ content, id, additional_kwargs: { [ATTACHED_KEY]: attached } });
}

/** The person's message with what they typed replaced, under a new id; the resources they attached stay. */
export function editedMessage(original: HumanMessage, id: string, typed: string): HumanMessage {
  const attached = original.additional_kwargs[ATTACHED_KEY] as Attached | undefined;
  if (!attached) return new HumanMessage({ content: typed, id });
  const content = typed + original.text.slice(attached.typedLength);
  return new HumanMessage({ content, id, additional_kwargs: { [ATTACHED_KEY]: { ...attached, typedLength: typed.length } } });
}

export function userMessageDto(message: HumanMessage): UserMessageDto {
  const id = message.id ?? '';
  const attached = message.additional_kwargs[ATTACHED_KEY] as Attached | undefined;
  if (!attached) return { role: 'user', id, text: message.text };
  return { role: 'user', id, text: message.text.slice(0, attached.typedLength), attachments: attached.attachments };
}
