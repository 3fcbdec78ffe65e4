/**
 * Type-level checks of the console's typed client, run by the typecheck (never imported): they fail
 * it should results become `any`. Each `@ts-expect-error` fails the typecheck if the line it marks
 * stops being an error. Exported only so that they count as used.
 */
import type { ResultOf, VariablesOf } from '../../admin/src/api/graphql.ts';
import type { AuditLogQuery, CreateServer, ServersQuery } from '../../admin/src/api/operations.ts';

type Server = ResultOf<typeof ServersQuery>['servers'][number];
export const transportIsTyped: (server: Server) => 'STREAMABLE_HTTP' | 'SSE' | 'STDIO' = (server) => server.transport;
// @ts-expect-error secretHeaders are not a field of McpServer: only their names are.
export const noSecrets = (server: Server) => server.secretHeaders;
// @ts-expect-error the decision is an enum, not a number
export const decisionIsEnum = (entry: ResultOf<typeof AuditLogQuery>['auditLog']['items'][number]): number => entry.decision;
// @ts-expect-error a server needs a transport
export const transportRequired: VariablesOf<typeof CreateServer> = { input: { name: 'x' } };
// @ts-expect-error the OAuth client secret is write-only: only whether one is stored comes back
export const noClientSecret = (server: Server) => server.oauthClientSecret;
