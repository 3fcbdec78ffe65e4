/**
 * Writes the admin schema's types for the console's typed GraphQL client (gql.tada reads them):
 * admin/src/api/graphql-env.d.ts. Run after changing server/admin/sdl/; a test fails
 * while the written file is out of date. gql.tada's own CLI needs TypeScript's JavaScript API,
 * which TypeScript 7 no longer ships, so this calls the library it uses underneath.
 */
import { outputIntrospectionFile } from '@gql.tada/internal';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { ADMIN_SDL } from '../server/admin/schema.ts';

export const GRAPHQL_ENV_PATH = 'admin/src/api/graphql-env.d.ts';

export async function renderGraphqlEnv(): Promise<string> {
  const introspection = introspectionFromSchema(buildSchema(ADMIN_SDL), { descriptions: false });
  return outputIntrospectionFile(introspection, { fileType: '.d.ts', shouldPreprocess: true });
}

if (import.meta.main) {
  await Bun.write(GRAPHQL_ENV_PATH, await renderGraphqlEnv());
  console.log(`wrote ${GRAPHQL_ENV_PATH}`);
}
