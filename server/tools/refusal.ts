/** A failed request through a person's connection (a read, a prompt, a completion), refused in the API's terms. */
import { DomainError, type DomainErrorCode } from '../domain-error.ts';
import type { RequestFailure, RequestFailureKind } from '../mcp/request-outcome.ts';

const CODES: Record<RequestFailureKind, DomainErrorCode> = {
  'not-connected': 'not_found',
  'not-found': 'not_found',
  'needs-sign-in': 'unavailable',
  unavailable: 'unavailable',
  timeout: 'unavailable',
  protocol: 'unavailable',
};

/** `message`, when given, is said instead of the failure's own (which it may quote). */
export function refusal({ kind, message }: RequestFailure, said = message): DomainError {
  return new DomainError(CODES[kind], said);
}
