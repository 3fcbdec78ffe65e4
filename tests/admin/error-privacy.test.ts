/**
 * What the admin API's errors tell people who are not admins: nothing about the schema. Every
 * error path (variable coercion, unknown fields, validation, parse errors, limits, operations the
 * schema cannot run) answers anonymous callers, signed-in users and a user's API token with plain
 * sentences; admins keep GraphQL's detailed messages.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { buildSchema, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { IssueApiToken, UsersQuery } from '../../admin/src/api/operations.ts';
import { ADMIN_SDL } from '../../server/admin/schema.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, postGraphQL, signInAdmin } from './support.ts';

let server: TestServer;
let ada: Admin;
let uma: Person;
let umaToken: string;

beforeAll(async () => {
  server = await startTestServer();
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
  const umaId = (await ada.admin(UsersQuery, { search: 'uma' })).users.items[0]!.id;
  umaToken = (await ada.admin(IssueApiToken, { input: { label: 'privacy test', userId: umaId } })).issueApiToken.token;
});
afterAll(async () => {
  await uma.client.close();
  await ada.client.close();
  await server[Symbol.asyncDispose]();
});

/** Every name the schema defines that a caller could not have guessed from the console's `me` query. */
const schemaNames = (() => {
  const schema = buildSchema(ADMIN_SDL);
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    names.add(type.name);
    if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
    if (isInputObjectType(type) || isObjectType(type)) for (const field of Object.keys(type.getFields())) names.add(field);
  }
  // Words too common to mean anything in a sentence, and what `me` itself shows.
  for (const common of ['id', 'name', 'email', 'role', 'me', 'url', 'enabled', 'items', 'status', 'args']) names.delete(common);
  return [...names];
})();

const depth = (levels: number): string => (levels === 0 ? 'name' : `ofType { ${depth(levels - 1)} }`);
const paths: { label: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    label: 'a variable with an unknown input field and a wrong enum value',
    query: 'mutation($i: ServerInput!) { createServer(input: $i) { id } }',
    variables: { i: { name: 'x', transport: 'HTTPX', urll: 'http://example.org' } },
  },
  { label: 'a required variable left out', query: 'mutation($i: ServerInput!) { createServer(input: $i) { id } }' },
  {
    label: 'a variable a custom scalar refuses',
    query: 'query($f: AuditFilter) { auditLog(filter: $f) { totalCount } }',
    variables: { f: { from: 'yesterday' } },
  },
  { label: 'a variable of the wrong type', query: 'query($l: Int) { users(limit: $l) { totalCount } }', variables: { l: 'many' } },
  { label: 'an unknown field', query: '{ server { secretHeaderNam } }' },
  { label: 'a wrong enum literal', query: 'mutation { createServer(input: { name: "x", transport: HTTPX }) { id } }' },
  { label: 'a syntax error', query: '{ servers { id ' },
  { label: 'too deep', query: `{ __type(name: "McpServer") { fields { type { ${depth(12)} } } } }` },
  { label: 'too many tokens', query: `{ me { ${'id '.repeat(3_001)} } }` },
  { label: 'too many aliases', query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }` },
  { label: 'a subscription', query: 'subscription { serverChanged { id } }' },
  { label: 'two operations and no name', query: 'query A { me { id } } query B { servers { id } }' },
];

const callers = [
  { who: 'anonymous', headers: (): Record<string, string> => ({}) },
  { who: 'a signed-in user', headers: (): Record<string, string> => ({ cookie: uma.cookie }) },
  { who: "a user's API token", headers: (): Record<string, string> => ({ authorization: `Bearer ${umaToken}` }) },
];

/** The only sentences a non-admin may read from this API. */
const PLAIN = ['This query is not valid.', 'Sign in first: no valid session or API token was sent.', 'This needs the admin role.'];

for (const caller of callers) {
  describe(`${caller.who} learns nothing about the schema from`, () => {
    for (const path of paths) {
      test(path.label, async () => {
        const answer = await postGraphQL(server.url, path.query, { headers: caller.headers(), variables: path.variables });
        expect(answer.body.errors?.length).toBeGreaterThan(0);
        for (const error of answer.body.errors ?? []) {
          expect(PLAIN).toContain(error.message);
          expect(Object.keys(error.extensions ?? {})).toEqual(['code']);
        }
        expect(answer.body.data ?? null).toBeNull();
        expect(schemaNames.filter((name) => new RegExp(`\\b${name}\\b`).test(answer.text))).toEqual([]);
        expect(answer.text).not.toMatch(/did you mean/i);
      });
    }
  });
}

describe('admins keep the details', () => {
  test('variable coercion names the input field, the enum and a suggestion', async () => {
    const [path] = paths;
    const answer = await postGraphQL(server.url, path!.query, { headers: { cookie: ada.cookie }, variables: path!.variables });
    const messages = (answer.body.errors ?? []).map((e) => e.message).join('\n');
    expect(messages).toContain('"ServerInput"');
    expect(messages).toContain('"Transport" enum');
    expect(messages).toContain('Did you mean "url"?');
  });

  test('a syntax error says where the document broke', async () => {
    const answer = await postGraphQL(server.url, '{ servers { id ', { headers: { cookie: ada.cookie } });
    expect(answer.body.errors?.[0]?.message).toMatch(/^Syntax Error: Expected Name, found <EOF>\.$/);
  });
});

test('a non-admin still gets the answer they may have: me', async () => {
  const answer = await postGraphQL(server.url, '{ me { email } }', { headers: { cookie: uma.cookie } });
  expect(answer.body).toEqual({ data: { me: { email: 'uma@countersign.dev' } } });
});
