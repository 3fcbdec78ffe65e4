/**
 * The title a chat has until one is given (after its first answer, or by renaming). The API keeps
 * these English words, so typed clients see a title as ever; the web chat shows the catalogue's
 * words for them instead (client/src/lib/chat-title.ts), so an untitled chat reads in the person's language.
 */
export const DEFAULT_CHAT_TITLE = 'New chat';
