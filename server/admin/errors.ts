/**
 * The admin API's errors. Errors meant for the caller are GraphQLErrors with a `code`; anything
 * else is unexpected: logged once with an error id, and the caller gets only that id.
 */
import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Logger } from '../log.ts';
import type { DomainError, DomainErrorCode } from '../domain-error.ts';

export type AdminErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

export function adminError(code: AdminErrorCode, message: string, field?: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code, ...(field ? { field } : {}) } });
}

export const invalidInput = (field: string, message: string) => adminError('BAD_USER_INPUT', `${field}: ${message}`, field);
export const notFound = (what: string) => adminError('NOT_FOUND', `${what} was not found`);

/** The one map from DomainError to the admin API's codes. */
const codes = {
  not_found: 'NOT_FOUND',
  chat_not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  awaiting_approval: 'CONFLICT',
  approval_not_pending: 'CONFLICT',
  nothing_to_retry: 'CONFLICT',
  invalid: 'BAD_USER_INPUT',
  invalid_decision: 'BAD_USER_INPUT',
  forbidden: 'FORBIDDEN',
  too_many: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
} as const satisfies Record<DomainErrorCode, AdminErrorCode>;

/** A service's refusal as the admin API says it; the schema's guard applies it to every root field. */
export function adminErrorOf(error: DomainError): GraphQLError {
  return adminError(codes[error.code], error.message);
}

/**
 * Yoga's `maskError`: errors we raised on purpose (and GraphQL's own validation errors) pass as
 * they are; an unexpected error is replaced by a message with an error id, and logged with it.
 */
export function errorMasker(log: Logger) {
  return (error: unknown, _message: string): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
    const path = error instanceof GraphQLError ? error.path : undefined;
    const errorId = crypto.randomUUID();
    log.error('admin api error', { errorId, error: original });
    return createGraphQLError(`Something went wrong on the server. Quote error id ${errorId} when you report it.`, {
      ...(path ? { path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    });
  };
}
