/**
 * Secrets are write-only: secret header references, stdio environment values and OAuth client
 * secrets go in through the API and never come back out, whichever fields a caller asks for
 * (every field of McpServer, listed from the schema, so a field added later is asked for too).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { buildSchema, getNamedType, type GraphQLObjectType, isObjectType } from 'graphql';
import { ADMIN_SDL } from '../../server/admin/schema.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, postGraphQL, signInAdmin } from './support.ts';

const SECRET_VARIABLE = 'ADMIN_TEST_SECRET_TOKEN';
const SECRET_VALUE = 'resolved-secret-7f3a9c';
const ENV_VALUE = 'stdio-env-secret-51be2d';
const CLIENT_SECRET = 'oauth-client-secret-e8d05b';
let server: TestServer;
let ada: Admin;

/** A selection of every field of the type, nested types included (the schema has no cycles below McpServer). */
function everyField(type: GraphQLObjectType): string {
  const fields = Object.values(type.getFields()).map((field) => {
    const named = getNamedType(field.type);
    return isObjectType(named) ? `${field.name} ${everyField(named)}` : field.name;
  });
  return `{ ${fields.join(' ')} }`;
}
const SERVER_FIELDS = everyField(buildSchema(ADMIN_SDL).getType('McpServer') as GraphQLObjectType);

beforeAll(async () => {
  process.env[SECRET_VARIABLE] = SECRET_VALUE;
  server = await startTestServer();
  ada = await signInAdmin(server.url);
});
afterAll(async () => {
  delete process.env[SECRET_VARIABLE];
  await server[Symbol.asyncDispose]();
});

test('no answer carries a secret reference, a resolved secret or an environment value', async () => {
  const headers = { cookie: ada.cookie };
  const answers: string[] = [];
  const create = (input: Record<string, unknown>) =>
    postGraphQL(server.url, `mutation($input: ServerInput!) { createServer(input: $input) ${SERVER_FIELDS} }`, {
      headers,
      variables: { input },
    });

  const http = await create({
    name: 'Secret HTTP',
    transport: 'SSE',
    url: 'http://127.0.0.1:9/sse',
    headers: [{ name: 'X-Plain', value: 'visible' }],
    secretHeaders: [{ name: 'Authorization', reference: `env:${SECRET_VARIABLE}` }],
  });
  const stdio = await create({
    name: 'Secret stdio',
    transport: 'STDIO',
    command: '/bin/true',
    env: [{ name: 'API_KEY', value: ENV_VALUE }],
  });
  const oauth = await create({
    name: 'Secret OAuth',
    transport: 'STREAMABLE_HTTP',
    url: 'http://127.0.0.1:9/mcp',
    authMode: 'CLIENT_CREDENTIALS',
    oauthClientId: 'countersign',
    oauthClientSecret: CLIENT_SECRET,
  });
  expect(http.body.errors).toBeUndefined();
  expect(stdio.body.errors).toBeUndefined();
  expect(oauth.body.errors).toBeUndefined();
  answers.push(http.text, stdio.text, oauth.text);

  const ids = [http, stdio, oauth].map((a) => (a.body.data!.createServer as { id: string }).id);
  answers.push((await postGraphQL(server.url, `{ servers ${SERVER_FIELDS} }`, { headers })).text);
  for (const id of ids) answers.push((await postGraphQL(server.url, `{ server(id: "${id}") ${SERVER_FIELDS} }`, { headers })).text);
  const update = `mutation($id: ID!) { updateServer(id: $id, input: { description: "edited" }) ${SERVER_FIELDS} }`;
  for (const id of ids) answers.push((await postGraphQL(server.url, update, { headers, variables: { id } })).text);
  // A connection test resolves the secret to send it; its answer must not echo it either.
  answers.push(
    (await postGraphQL(server.url, `mutation { testConnection(serverId: "${ids[0]}") { ok error tools { name } } }`, { headers })).text,
  );

  const all = answers.join('\n');
  expect(all).toContain('"secretHeaderNames":["Authorization"]');
  expect(all).toContain('"envNames":["API_KEY"]');
  expect(all).toContain('"hasOauthClientSecret":true');
  expect(all).toContain('visible');
  for (const secret of [SECRET_VALUE, ENV_VALUE, `env:${SECRET_VARIABLE}`, SECRET_VARIABLE, CLIENT_SECRET])
    expect(all).not.toContain(secret);
});
