/**
 * The one error type services and domain code throw for a refusal the caller can act on. Its code
 * is a closed set; the API layers map it once each (server/trpc/domain-errors.ts to tRPC codes,
 * server/admin/errors.ts to GraphQL ones), so no domain code knows a wire protocol. Anything else
 * thrown is unexpected: logged with an error id, and the caller gets only that id.
 */
export type DomainErrorCode =
  /** The thing named does not exist, or is not the caller's. */
  | 'not_found'
  /** No such chat for this person (or it was deleted). */
  | 'chat_not_found'
  /** The state has moved on or is busy: a chat answering, a decision that lost a race. */
  | 'conflict'
  /** The chat waits for a decision on a tool call; decide (or reject) first. */
  | 'awaiting_approval'
  /** The decision names an approval that is no longer pending: already decided, or never existed. */
  | 'approval_not_pending'
  /** `retry` on a chat whose last run did not fail. */
  | 'nothing_to_retry'
  /** The request does not fit: a catalogue definition with problems. */
  | 'invalid'
  /** The decisions do not fit the pending approval (missing or unknown calls, invalid edited arguments). */
  | 'invalid_decision'
  /** Not allowed for this caller, or disabled by an admin. */
  | 'forbidden'
  /** The caller is over a limit; the message says which. */
  | 'too_many'
  /** A dependency is not available right now; trying again later may work. */
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

/** Said wherever a chat is looked up for a person: the agent's turn and every chat procedure. */
export const chatNotFound = () => new DomainError('chat_not_found', 'No such chat: it was deleted, or it is not yours.');
