/**
 * The message that starts a new chat. It is sent only once the new chat's event stream has
 * started, so the first tokens of the answer are not missed.
 */
const held = new Map<string, string>();

export function holdFirstMessage(chatId: string, text: string): void {
  held.set(chatId, text);
}

export function takeFirstMessage(chatId: string): string | undefined {
  const text = held.get(chatId);
  held.delete(chatId);
  return text;
}
