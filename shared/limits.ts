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
} as const;
