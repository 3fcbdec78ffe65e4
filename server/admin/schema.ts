/** The executable admin schema: the SDL beside this file, its resolvers, and the admin guard around every root field. */
import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { AdminContext } from './context.ts';
import { guardSchema } from './guard.ts';
import { apiTokenResolvers } from './resolvers/api-tokens.ts';
import { auditResolvers } from './resolvers/audit.ts';
import type { AdminDeps } from './resolvers/deps.ts';
import { DateTime, enumValues, JSONScalar } from './resolvers/scalars.ts';
import { serverResolvers } from './resolvers/servers.ts';
import { userResolvers } from './resolvers/users.ts';

export const ADMIN_SDL = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export function createAdminSchema(deps: AdminDeps): GraphQLSchema {
  const parts = [serverResolvers(deps), userResolvers(deps), auditResolvers(deps), apiTokenResolvers(deps)];
  const schema = createSchema<AdminContext>({
    typeDefs: ADMIN_SDL,
    resolvers: [
      {
        DateTime,
        JSON: JSONScalar,
        ...enumValues,
        Query: { me: (_: unknown, __: unknown, context: AdminContext) => context.user },
      },
      ...parts,
    ],
  });
  return guardSchema(schema);
}
