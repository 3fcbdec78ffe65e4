/**
 * The console's typed client stays true to the schema: the types gql.tada reads are regenerated
 * and compared. The type-level checks that fail the typecheck should results become `any` are in
 * typed-client-types.ts.
 */
import { expect, test } from 'bun:test';
import { GRAPHQL_ENV_PATH, renderGraphqlEnv } from '../../scripts/admin-graphql-types.ts';

test('admin/src/api/graphql-env.d.ts matches server/admin/sdl/ (run npm run admin:graphql-types)', async () => {
  const written = await Bun.file(GRAPHQL_ENV_PATH).text();
  expect(written === (await renderGraphqlEnv())).toBe(true);
});
