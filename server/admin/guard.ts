/**
 * The one place that decides who may use the admin API. Every field of Query and Mutation is
 * wrapped once, when the schema is built, so a resolver added later is guarded without doing
 * anything: it runs only for an admin, unless its field is on the short public list below.
 * Nested fields need no check of their own: they are reachable only through a guarded root.
 *
 * Non-admins also get no introspection, so the shape of the admin API is not handed out either.
 */
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, NoSchemaIntrospectionCustomRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { AdminContext } from './context.ts';
import { adminError } from './errors.ts';

/** Root fields anyone may query, by "Type.field". `me` tells the console who is signed in. */
export const PUBLIC_FIELDS: ReadonlySet<string> = new Set(['Query.me']);

export function isAdmin(context: AdminContext): boolean {
  return context.user?.role === 'admin';
}

/** Throws the refusal a non-admin gets; the message names no admin data. */
export function assertAdmin(context: AdminContext): void {
  if (!context.user) throw adminError('UNAUTHENTICATED', 'Sign in first: no valid session or API token was sent.');
  if (!isAdmin(context)) throw adminError('FORBIDDEN', 'This needs the admin role.');
}

/** Wraps every root field of the schema in the admin check (in place) and returns the schema. */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (PUBLIC_FIELDS.has(`${root.name}.${field.name}`)) continue;
      const resolve: GraphQLFieldResolver<unknown, AdminContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        assertAdmin(context);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}

/**
 * Validation for non-admins: no introspection (`__typename` stays, as the spec needs it), and an
 * invalid document gets one plain sentence, not GraphQL's messages, which name fields and types.
 */
export function schemaHiddenFromNonAdmins(): Plugin<AdminContext> {
  return {
    onValidate({ context, addValidationRule }) {
      if (isAdmin(context)) return;
      addValidationRule(NoSchemaIntrospectionCustomRule);
      return ({ valid, setResult }) => {
        if (!valid) setResult([createGraphQLError('This query is not valid.', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
      };
    },
  };
}
