/**
 * A person's message as the checkpoint keeps it, and as the chat shows it. The model reads the
 * message's text: what the person typed, followed by each attached resource as a block naming
 * it. The chat shows what they typed and the attachments' names, kept beside the text
 * (`additional_kwargs`, which the model client never sends), so nothing is stored twice. Files
 * the person attached are kept there as references only: their bytes stay in the application
 * database, and each request to the model reads them (transcript.ts, withFiles).
 */
import { HumanMessage } from '@langchain/core/messages';
import type { AttachmentDto, ChatMessageDto } from '../../shared/chat-events.ts';
import type { FileDto } from '../../shared/files.ts';

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
  /** Absent in messages written before files could be attached. */
  files?: FileDto[];
}

const ATTACHED_KEY = 'countersign_attached';

export function userMessage(id: string, typed: string, attachments: readonly Attachment[], files: readonly FileDto[] = []): HumanMessage {
  if (attachments.length === 0 && files.length === 0) return new HumanMessage({ content: typed, id });
  const attached: Attached = {
    typedLength: typed.length,
    attachments: attachments.map(({ serverId, uri, name }) => ({ serverId, uri, name })),
    files: [...files],
  };
  const content = [typed, ...attachments.map((attachment) => attachment.text)].join('\n\n');
  return new HumanMessage({ content, id, additional_kwargs: { [ATTACHED_KEY]: attached } });
}

/** The person's message with what they typed replaced, under a new id; the resources and files they attached stay. */
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
  const text = message.text.slice(0, attached.typedLength);
  return {
    role: 'user',
    id,
    text,
    ...(attached.attachments.length > 0 ? { attachments: attached.attachments } : {}),
    ...(attached.files?.length ? { files: attached.files } : {}),
  };
}

/** The files the person attached to the message, if any. */
export function filesOf(message: HumanMessage): FileDto[] {
  return (message.additional_kwargs[ATTACHED_KEY] as Attached | undefined)?.files ?? [];
}
