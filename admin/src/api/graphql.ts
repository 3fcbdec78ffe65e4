/**
 * The console's typed GraphQL: gql.tada reads each document against the admin schema's types
 * (graphql-env.d.ts, written by scripts/admin-graphql-types.ts from server/admin/sdl/),
 * so results and variables are typed with no code generation step per query.
 */
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; JSON: unknown; ID: string };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
