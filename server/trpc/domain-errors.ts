/** The one map from DomainError to tRPC's codes, applied by every procedure (see trpc.ts). */
import { TRPCError } from '@trpc/server';
import { DomainError, type DomainErrorCode } from '../domain-error.ts';

const codes = {
  not_found: 'NOT_FOUND',
  chat_not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  awaiting_approval: 'CONFLICT',
  approval_not_pending: 'CONFLICT',
  nothing_to_retry: 'CONFLICT',
  invalid: 'BAD_REQUEST',
  invalid_decision: 'BAD_REQUEST',
  forbidden: 'FORBIDDEN',
  too_many: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
} as const satisfies Record<DomainErrorCode, TRPCError['code']>;

/** The tRPC code a DomainError reaches the caller with. */
export const trpcCodeOf = (error: DomainError): TRPCError['code'] => codes[error.code];

/** A TRPCError caused by a DomainError becomes one with the matching code and the same message; anything else stays. */
export function fromDomainError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (!(cause instanceof DomainError)) return error;
  return new TRPCError({ code: codes[cause.code], message: cause.message, cause });
}
