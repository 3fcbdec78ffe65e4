/**
 * The message that starts a new chat, with the files uploaded into the chat for it. It is sent only
 * once the new chat's event stream has started, so the first tokens of the answer are not missed.
 */
import type { FileDto } from '../../../shared/files.ts';

export interface FirstMessage {
  text: string;
  files: FileDto[];
}

const held = new Map<string, FirstMessage>();

export function holdFirstMessage(chatId: string, message: FirstMessage): void {
  held.set(chatId, message);
}

export function takeFirstMessage(chatId: string): FirstMessage | undefined {
  const message = held.get(chatId);
  held.delete(chatId);
  return message;
}
