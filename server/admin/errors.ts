/**
 * The admin API's errors. Errors meant for the caller are GraphQLErrors with a `code`; anything
 * else is unexpected: logged once with an error id, and the caller gets only that id.
 */
import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Logger } from '../log.ts';
import { CatalogueError } from '../mcp/catalogue.ts';

export type AdminErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT';

export function adminError(code: AdminErrorCode, message: string, field?: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code, ...(field ? { field } : {}) } });
}

export const invalidInput = (field: string, message: string) => adminError('BAD_USER_INPUT', `${field}: ${message}`, field);
export const notFound = (what: string) => adminError('NOT_FOUND', `${what} was not found`);

/** Catalogue errors carry messages written for admins; they cross the wire with a matching code. */
export function fromCatalogueError(error: unknown): never {
  if (error instanceof CatalogueError) {
    const code = error.code === 'invalid' ? 'BAD_USER_INPUT' : error.code === 'not-found' ? 'NOT_FOUND' : 'CONFLICT';
    throw adminError(code, error.message);
  }
  throw error;
}

/**
 * Yoga's `maskError`: errors we raised on purpose (and GraphQL's own validation errors) pass as
 * they are; an unexpected error is replaced by a message with an error id, and logged with it.
 */
export function errorMasker(log: Logger) {
  return (error: unknown, _message: string): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
    const errorId = crypto.randomUUID();
    log.error('admin api error', { errorId, error: original });
    const path = error instanceof GraphQLError ? error.path : undefined;
    return createGraphQLError(`Something went wrong on the server. Quote error id ${errorId} when you report it.`, {
      ...(path ? { path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    });
  };
}
