/**
 * Errors a caller of the agent can act on, each with a code the API layer maps to its own
 * (NOT_FOUND, CONFLICT, BAD_REQUEST). Failures of the model itself are not thrown: they end the
 * run in the `failed` state with a reason a person can read.
 */
export type AgentErrorCode =
  /** No such chat for this person (or it was deleted). */
  | 'chat_not_found'
  /** The chat waits for a decision on a tool call; decide (or reject) first. */
  | 'awaiting_approval'
  /** The decision names an approval that is no longer pending: already decided, or never existed. */
  | 'approval_not_pending'
  /** The decisions do not fit the pending approval (missing or unknown calls, invalid edited arguments). */
  | 'invalid_decision'
  /** `retry` on a chat whose last run did not fail. */
  | 'nothing_to_retry';

export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentError';
  }
}
