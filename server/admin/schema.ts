/** The executable admin schema: the SDL in sdl/, its resolvers, and the admin guard around every root field. */
import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { AdminContext } from './context.ts';
import { guardSchema } from './guard.ts';
import { apiTokenResolvers } from './resolvers/api-tokens.ts';
import { auditResolvers } from './resolvers/audit.ts';
import type { AdminDeps } from './resolvers/deps.ts';
import { DateTime, enumValues, JSONScalar } from './resolvers/scalars.ts';
import { catalogueResolvers } from './resolvers/catalogue.ts';
import { modelResolvers } from './resolvers/models.ts';
import { userResolvers } from './resolvers/users.ts';

/** One file per area of the API, read in this order. */
const SDL_FILES = ['root', 'catalogue', 'users', 'audit', 'tokens', 'models'];
const SDL_DIR = new URL('./sdl/', import.meta.url);
export const ADMIN_SDL = SDL_FILES.map((name) => readFileSync(new URL(`${name}.graphql`, SDL_DIR), 'utf8')).join('\n');

/** The caller with their language and theme, so the console starts in the web chat's choice. */
async function viewer({ users }: AdminDeps, { user }: AdminContext) {
  if (!user) return null;
  const { locale, theme } = await users.settingsOf(user.id);
  return { ...user, locale, theme };
}

export function createAdminSchema(deps: AdminDeps): GraphQLSchema {
  const parts = [catalogueResolvers(deps), userResolvers(deps), auditResolvers(deps), apiTokenResolvers(deps), modelResolvers(deps)];
  const schema = createSchema<AdminContext>({
    typeDefs: ADMIN_SDL,
    resolvers: [
      {
        DateTime,
        JSON: JSONScalar,
        ...enumValues,
        Query: { me: (_: unknown, __: unknown, context: AdminContext) => viewer(deps, context) },
      },
      ...parts,
    ],
  });
  return guardSchema(schema);
}
