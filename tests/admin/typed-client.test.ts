/**
 * The console's typed client stays true to the schema: the types gql.tada reads are regenerated
 * and compared, and a few type-level checks fail the typecheck should results become `any`.
 */
import { expect, test } from 'bun:test';
import type { ResultOf, VariablesOf } from '../../admin/src/api/graphql.ts';
import type { AuditLogQuery, CreateServer, ServersQuery } from '../../admin/src/api/operations.ts';
import { GRAPHQL_ENV_PATH, renderGraphqlEnv } from '../../scripts/admin-graphql-types.ts';

test('admin/src/api/graphql-env.d.ts matches server/admin/sdl/ (run npm run admin:graphql-types)', async () => {
  const written = await Bun.file(GRAPHQL_ENV_PATH).text();
  expect(written === (await renderGraphqlEnv())).toBe(true);
});

// Type-level: each `@ts-expect-error` fails the typecheck if the line it marks stops being an error.
type Server = ResultOf<typeof ServersQuery>['servers'][number];
export const transportIsTyped: (server: Server) => 'STREAMABLE_HTTP' | 'SSE' | 'STDIO' = (server) => server.transport;
// @ts-expect-error secretHeaders are not a field of McpServer: only their names are.
export const noSecrets = (server: Server) => server.secretHeaders;
// @ts-expect-error the decision is an enum, not a number
export const decisionIsEnum = (entry: ResultOf<typeof AuditLogQuery>['auditLog']['items'][number]): number => entry.decision;
// @ts-expect-error a server needs a transport
export const transportRequired: VariablesOf<typeof CreateServer> = { input: { name: 'x' } };
