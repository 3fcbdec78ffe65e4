/**
 * The admin guard, checked field by field: every Query and Mutation field of the schema (listed
 * from the schema itself, so a new field is covered the day it is added) refuses anonymous
 * callers, signed-in users and a user's API token, and changes nothing when it refuses.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  buildSchema,
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { ApiTokensQuery, IssueApiToken, ServersQuery, UsersQuery } from '../../admin/src/api/operations.ts';
import { errorMasker } from '../../server/admin/errors.ts';
import { PUBLIC_FIELDS } from '../../server/admin/guard.ts';
import { ADMIN_SDL } from '../../server/admin/schema.ts';
import { createLogger } from '../../server/log.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, codes, postGraphQL, signInAdmin } from './support.ts';
import { INTERNAL } from '../faults/support.ts';

const schema = buildSchema(ADMIN_SDL);
const roots = [
  { kind: 'query', fields: Object.values(schema.getQueryType()!.getFields()) },
  { kind: 'mutation', fields: Object.values(schema.getMutationType()!.getFields()) },
] as const;
const guarded = roots.flatMap(({ kind, fields }) =>
  fields.filter((f) => !PUBLIC_FIELDS.has(`${kind === 'query' ? 'Query' : 'Mutation'}.${f.name}`)).map((field) => ({ kind, field })),
);

let server: TestServer;
let ada: Admin;
let uma: Person;
let umaToken: string;
let adaTokenId: string;
const ids = { server: INTERNAL, user: '', token: '' };

/** A value of the right type for every required argument; ids point at real rows, so a refusal that leaked would show. */
function sample(type: GraphQLInputType, name: string, field: string): unknown {
  if (isNonNullType(type)) return sample(type.ofType, name, field);
  if (isListType(type)) return [sample(type.ofType, name, field)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type)) out[f.name] = sample(f.type, f.name, field);
    return out;
  }
  if (isScalarType(type)) {
    if (type.name === 'ID') return /token/i.test(field) ? ids.token : /user/i.test(field) ? ids.user : ids.server;
    return { String: 'notes_delete', Int: 1, Boolean: false, DateTime: '2026-01-01T00:00:00Z', JSON: {} }[type.name] ?? 'x';
  }
  throw new Error(`no sample for ${String(type)}`);
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const args = field.args.filter((a) => isNonNullType(a.type));
  const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  const query = `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
  const variables = Object.fromEntries(args.map((a) => [a.name, sample(a.type, a.name, field.name)]));
  return { query, variables };
}

beforeAll(async () => {
  server = await startTestServer();
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
  const users = await ada.admin(UsersQuery, { search: 'ada' });
  ids.user = users.users.items[0]!.id;
  const issued = await ada.admin(IssueApiToken, { input: { label: 'guard test', serviceAccountName: 'guard-test' } });
  ids.token = adaTokenId = issued.issueApiToken.apiToken.id;
  const umaId = (await ada.admin(UsersQuery, { search: 'uma' })).users.items[0]!.id;
  umaToken = (await ada.admin(IssueApiToken, { input: { label: 'uma service', userId: umaId } })).issueApiToken.token;
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
});

test('the only public field is Query.me, and the schema has fields to guard', () => {
  expect([...PUBLIC_FIELDS]).toEqual(['Query.me']);
  expect(guarded.length).toBeGreaterThan(15);
});

const callers = [
  { who: 'anonymous', headers: () => ({}), code: 'UNAUTHENTICATED' },
  { who: 'a signed-in user', headers: () => ({ cookie: uma.cookie }), code: 'FORBIDDEN' },
  { who: "a user's API token", headers: () => ({ authorization: `Bearer ${umaToken}` }), code: 'FORBIDDEN' },
  { who: 'a forged API token', headers: () => ({ authorization: `Bearer cs_${'x'.repeat(43)}` }), code: 'UNAUTHENTICATED' },
];

for (const caller of callers) {
  describe(`${caller.who} is refused`, () => {
    for (const { kind, field } of guarded) {
      test(`${kind} ${field.name}`, async () => {
        const { query, variables } = operationFor(kind, field);
        const answer = await postGraphQL(server.url, query, { headers: caller.headers(), variables });
        expect(codes(answer)).toEqual([caller.code]);
        // No value: either no data at all, or the (nullable) field is null.
        expect(Object.values(answer.body.data ?? {})).toEqual(answer.body.data ? [null] : []);
        // The refusal names no admin data: only the generic sentence.
        expect(answer.body.errors![0]!.message).toMatch(/^(Sign in first|This needs the admin role)/);
      });
    }
  });
}

describe('refusals change nothing', () => {
  test('after every mutation was refused, the catalogue, Ada and her token are as they were', async () => {
    for (const caller of callers) {
      for (const { field } of guarded.filter((g) => g.kind === 'mutation')) {
        const { query, variables } = operationFor('mutation', field);
        expect(codes(await postGraphQL(server.url, query, { headers: caller.headers(), variables }))).toEqual([caller.code]);
      }
    }
    const { servers } = await ada.admin(ServersQuery);
    expect(servers.find((s) => s.id === INTERNAL)).toMatchObject({ enabled: true, toolPolicies: [] });
    const { users } = await ada.admin(UsersQuery, { search: 'ada' });
    expect(users.items[0]).toMatchObject({ disabled: false });
    const { apiTokens } = await ada.admin(ApiTokensQuery, {});
    expect(apiTokens.find((t) => t.id === adaTokenId)?.status).toBe('ACTIVE');
  });
});

describe('admins', () => {
  for (const { field } of guarded.filter((g) => g.kind === 'query')) {
    test(`may query ${field.name}`, async () => {
      const { query, variables } = operationFor('query', field);
      const answer = await postGraphQL(server.url, query, { headers: { cookie: ada.cookie }, variables });
      expect(answer.body.errors).toBeUndefined();
    });
  }
});

describe('public and introspection', () => {
  test('me answers everyone: null when anonymous, the caller otherwise', async () => {
    expect((await postGraphQL(server.url, '{ me { email role } }')).body).toEqual({ data: { me: null } });
    const mine = await postGraphQL(server.url, '{ me { email role } }', { headers: { cookie: uma.cookie } });
    expect(mine.body).toEqual({ data: { me: { email: 'uma@countersign.dev', role: 'USER' } } });
  });

  test('invalid documents from non-admins get one plain sentence that names no field or type', async () => {
    for (const headers of [{}, { cookie: uma.cookie }] as Record<string, string>[]) {
      const answer = await postGraphQL(server.url, '{ server { secretHeaderNam } }', { headers });
      expect(answer.body.errors).toEqual([{ message: 'This query is not valid.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    }
    const forAdmin = await postGraphQL(server.url, '{ server { secretHeaderNam } }', { headers: { cookie: ada.cookie } });
    expect(forAdmin.text).toContain('secretHeaderNames');
  });

  test('only admins may introspect the schema', async () => {
    const query = '{ __schema { queryType { name } } }';
    for (const headers of [{}, { cookie: uma.cookie }] as Record<string, string>[]) {
      expect(codes(await postGraphQL(server.url, query, { headers }))).toContain('GRAPHQL_VALIDATION_FAILED');
    }
    const answer = await postGraphQL(server.url, query, { headers: { cookie: ada.cookie } });
    expect(answer.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  test('POST bodies other than JSON are refused before anything runs', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: ada.cookie },
      body: new URLSearchParams({ query: `mutation { setServerEnabled(id: "${INTERNAL}", enabled: false) { id } }` }),
    });
    expect(response.status).toBe(415);
    const { servers } = await ada.admin(ServersQuery);
    expect(servers.find((s) => s.id === INTERNAL)?.enabled).toBe(true);
  });
});

describe('error masking', () => {
  const logged: Record<string, unknown>[] = [];
  const log = { ...createLogger('error'), error: (_: string, fields?: Record<string, unknown>) => void logged.push(fields ?? {}) };
  const mask = errorMasker(log);

  test('an unexpected error reaches the caller only as an error id, and the log keeps the rest under that id', () => {
    const internal = new GraphQLError('boom', { originalError: new Error('SQLITE_BUSY at /srv/data/countersign.db'), path: ['servers'] });
    const masked = mask(internal, 'Unexpected error.') as GraphQLError;
    expect(masked.message).toMatch(/^Something went wrong on the server\. Quote error id [0-9a-f-]{36} when you report it\.$/);
    expect(masked.message).not.toContain('SQLITE');
    expect(masked.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) });
    expect(logged).toEqual([{ errorId: masked.extensions.errorId, error: internal.originalError }]);
  });

  test('errors raised for the caller pass unchanged', () => {
    const meant = new GraphQLError('name: is required', { extensions: { code: 'BAD_USER_INPUT' } });
    expect(mask(meant, 'Unexpected error.')).toBe(meant);
  });
});
