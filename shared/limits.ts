/**
 * The sizes the API accepts. The server's input schemas enforce them; the web chat and other
 * services read the same numbers, so a form never allows what the server refuses.
 */
export const LIMITS = {
  title: 200,
  message: 32_000,
  pageSize: 100,
  search: 200,
  serversPerChat: 50,
  decisionsPerRequest: 64,
  reason: 2_000,
  editedArguments: 100_000,
  /**
   * All edits of one decision together: at most 3 bytes of UTF-8 a character, this keeps the
   * largest legal decision within the default request-body limit (MAX_REQUEST_BODY_BYTES, 1 MiB).
   */
  editedArgumentsPerDecision: 250_000,
  /** Resources attached to one message (each read and given to the model with it). */
  attachments: 5,
  /** A prompt's arguments, a resource template's variables, and a completion's value: what a person types in a small form. */
  promptArguments: 32,
  promptArgument: 4_000,
  /** Roots an admin may allow one server, and so a chat may offer it. */
  rootsPerServer: 20,
  rootUri: 2_048,
  rootName: 100,
  /** A person's custom instructions, and a chat's system prompt: each is sent with every request to the model. */
  instructions: 8_000,
  /** Results one search of message text and titles returns at most. */
  searchResults: 50,
  /** Chats a person may pin: the chat list returns them all, above its first page. */
  pinnedChats: 50,
} as const;
