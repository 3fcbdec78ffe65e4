/** Abusive documents are refused before anything runs, with a message naming the limit; pages stay bounded. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { buildSchema, getIntrospectionQuery, parse, print, validate } from 'graphql';
import * as operations from '../../admin/src/api/operations.ts';
import { ADMIN_SDL } from '../../server/admin/schema.ts';
import { LIMITS } from '../../server/admin/limits.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, codes, postGraphQL, signInAdmin } from './support.ts';

let server: TestServer;
let ada: Admin;

beforeAll(async () => {
  server = await startTestServer();
  ada = await signInAdmin(server.url);
});
afterAll(async () => {
  await server[Symbol.asyncDispose]();
});

const asAdmin = (query: string, variables?: unknown) => postGraphQL(server.url, query, { headers: { cookie: ada.cookie }, variables });
const messages = (answer: Awaited<ReturnType<typeof asAdmin>>) => (answer.body.errors ?? []).map((e) => e.message).join('\n');

describe('limits', () => {
  test('too deep: introspection nested past the depth limit', async () => {
    const nested = (levels: number): string => (levels === 0 ? 'name' : `ofType { ${nested(levels - 1)} }`);
    const answer = await asAdmin(`{ __type(name: "McpServer") { fields { type { ${nested(12)} } } } }`);
    expect(answer.body.data).toBeUndefined();
    expect(messages(answer)).toContain(`Query depth limit of ${LIMITS.depth} exceeded`);
  });

  test('too costly: one expensive selection spread over and over', async () => {
    const fragment =
      'fragment U on User { id email name role sessions { createdAt expiresAt userAgent } connections { serverId serverName connectedAt lastError } }';
    const answer = await asAdmin(`{ users(limit: 100) { items { ${'...U '.repeat(20)} } } } ${fragment}`);
    expect(answer.body.data).toBeUndefined();
    expect(messages(answer)).toContain(`Query Cost limit of ${LIMITS.cost} exceeded`);
  });

  test('too many aliases', async () => {
    const answer = await asAdmin(`{ ${Array.from({ length: LIMITS.aliases + 1 }, (_, i) => `a${i}: me { id }`).join(' ')} }`);
    expect(messages(answer)).toContain(`Aliases limit of ${LIMITS.aliases} exceeded`);
  });

  test('too many tokens', async () => {
    const answer = await asAdmin(`{ me { ${'id '.repeat(LIMITS.tokens)} } }`);
    expect(messages(answer)).toContain(`Token limit of ${LIMITS.tokens} exceeded`);
  });

  test("GraphiQL's introspection query stays inside every limit", async () => {
    const answer = await asAdmin(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(answer.body.errors).toBeUndefined();
  });

  test("every one of the console's operations stays well inside every limit", () => {
    const schema = buildSchema(ADMIN_SDL);
    const rules = [
      maxDepthRule({ n: LIMITS.depth, flattenFragments: true }),
      costLimitRule({ maxCost: LIMITS.cost / 5, flattenFragments: true }),
      maxAliasesRule({ n: LIMITS.aliases }),
    ];
    const documents = Object.entries(operations).filter(([, doc]) => doc.definitions[0]?.kind === 'OperationDefinition');
    expect(documents.length).toBeGreaterThan(15);
    for (const [name, document] of documents) {
      expect({ name, errors: validate(schema, parse(print(document), { maxTokens: LIMITS.tokens }), rules).map((e) => e.message) }).toEqual(
        { name, errors: [] },
      );
    }
  });

  test('pages are bounded, and bad input is named', async () => {
    for (const [query, text] of [
      ['{ users(limit: 101) { totalCount } }', 'limit: must be between 1 and 100'],
      ['{ users(limit: 0) { totalCount } }', 'limit: must be between 1 and 100'],
      ['{ auditLog(offset: -1) { totalCount } }', 'offset: must be between 0'],
      ['{ auditLog(filter: { from: "yesterday" }) { totalCount } }', 'expected an ISO 8601 instant'],
      [
        '{ auditLog(filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { totalCount } }',
        'filter.to: must be after filter.from',
      ],
    ] as const) {
      const answer = await asAdmin(query);
      expect(messages(answer)).toContain(text);
      expect(codes(answer)[0]).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    }
  });
});
