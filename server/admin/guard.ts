/**
 * The one place that decides who may use the admin API. Every field of Query and Mutation is
 * wrapped once, when the schema is built, so a resolver added later is guarded without doing
 * anything: it runs only for an admin, unless its field is on the short public list below.
 * Nested fields need no check of their own: they are reachable only through a guarded root.
 *
 * Non-admins also get no introspection, and errors that would describe the schema reach them as one
 * plain sentence, so the shape of the admin API is not handed out either.
 */
import {
  defaultFieldResolver,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { AdminContext } from './context.ts';
import { DomainError } from '../domain-error.ts';
import { adminError, adminErrorOf } from './errors.ts';

/** Root fields anyone may query, by "Type.field". `me` tells the console who is signed in. */
export const PUBLIC_FIELDS: ReadonlySet<string> = new Set(['Query.me']);

export function isAdmin(context: AdminContext): boolean {
  return context.user?.role === 'admin';
}

/** The refusals a non-admin gets, from GraphQL and the audit export alike; they name no admin data. */
export const NOT_SIGNED_IN = 'Sign in first: no valid session or API token was sent.';
export const NOT_ADMIN = 'This needs the admin role.';

/** Throws the refusal a non-admin gets. */
export function assertAdmin(context: AdminContext): void {
  if (!context.user) throw adminError('UNAUTHENTICATED', NOT_SIGNED_IN);
  if (!isAdmin(context)) throw adminError('FORBIDDEN', NOT_ADMIN);
}

/** Wraps every root field of the schema in the admin check (in place) and returns the schema. */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (PUBLIC_FIELDS.has(`${root.name}.${field.name}`)) continue;
      const resolve: GraphQLFieldResolver<unknown, AdminContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = async (source, args, context, info) => {
        assertAdmin(context);
        try {
          return await resolve(source, args, context, info);
        } catch (error) {
          // A refusal the admin can act on, not an unexpected error for yoga to log as one.
          throw error instanceof DomainError ? adminErrorOf(error) : error;
        }
      };
    }
  }
  return schema;
}

/**
 * What non-admins learn from the admin API's errors: nothing about its schema. They get no
 * introspection (`__typename` stays, as the spec needs it), and every error that is not one of our
 * own refusals becomes one plain sentence. GraphQL's own messages name types, input fields and enum
 * values, and suggest names ("Did you mean"), on every path: variable coercion, validation,
 * parsing, limits and operation resolution. Admins keep them.
 */
export function schemaHiddenFromNonAdmins(): Plugin<AdminContext, AdminContext> {
  return {
    onValidate({ context, addValidationRule }) {
      if (!isAdmin(context)) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
    onResultProcess({ serverContext, result, setResult }) {
      if (isAdmin(serverContext) || Symbol.asyncIterator in result) return;
      setResult(Array.isArray(result) ? result.map(withPlainErrors) : withPlainErrors(result));
    },
  };
}

/** Sentences written for non-admins: the refusals above and the masked unexpected error (an error id). */
const PLAIN_CODES: ReadonlySet<unknown> = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR']);

function withPlainErrors<T extends ExecutionResult>(result: T): T {
  if (!result.errors?.length) return result;
  const plain = result.errors.filter((error) => PLAIN_CODES.has(error.extensions?.code));
  const other = result.errors.find((error) => !PLAIN_CODES.has(error.extensions?.code));
  // One sentence for all the rest: GraphQL's several messages would tell how many problems there were, and where.
  return { ...result, errors: other ? [...plain, notValid(other)] : plain };
}

function notValid(error: GraphQLError): GraphQLError {
  const { code = 'BAD_USER_INPUT', http } = error.extensions ?? {};
  // The HTTP status stays the one GraphQL chose: yoga reads `http` for it and never sends it.
  return createGraphQLError('This query is not valid.', { extensions: { code, ...(http ? { http } : {}) } });
}
