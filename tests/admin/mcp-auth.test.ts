/**
 * Servers behind OAuth through the admin API: the auth mode, client id, write-only client secret
 * (sealed in the database, never in an answer) and scopes; the catalogue's refusals naming their
 * field; who has signed in at a server, and revoking one person's tokens. Admins only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { AdminRequestError } from '../../admin/src/api/client.ts';
import {
  CreateServer,
  RevokeMcpAuthorisation,
  ServerAuthorisations,
  ServerQuery,
  TestConnection,
  UpdateServer,
  UsersQuery,
} from '../../admin/src/api/operations.ts';
import { startAuthorizationServer, type AuthorizationServer } from '../support/oauth-authorization-server.ts';
import { signIn, type Person } from '../support/people.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/protected-mcp-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, codes, postGraphQL, signInAdmin } from './support.ts';

const CLIENT_SECRET = 'client-secret-9d41c7e2';
const ACCESS_TOKEN = 'access-token-5be1f08a';
const REFRESH_TOKEN = 'refresh-token-c3a7d912';
/** Never contacted: saving a definition does not connect. */
const UNREACHABLE = 'http://127.0.0.1:9/mcp';

let server: TestServer;
let ada: Admin;
let uma: Person;
let umaId: string;

beforeAll(async () => {
  server = await startTestServer();
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
  umaId = (await ada.admin(UsersQuery, { search: 'uma@' })).users.items[0]!.id;
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
});

async function failure(call: Promise<unknown>): Promise<AdminRequestError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AdminRequestError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** The client secret column as stored. */
const storedSecret = (serverId: string) =>
  server.db.sqlite
    .query<{ secret: string | null }, [string]>('select oauth_client_secret as secret from mcp_servers where id = ?')
    .get(serverId)?.secret;

async function createOAuthServer(name: string): Promise<string> {
  const { createServer } = await ada.admin(CreateServer, {
    input: {
      name,
      transport: 'STREAMABLE_HTTP',
      url: UNREACHABLE,
      authMode: 'OAUTH',
      oauthClientId: 'countersign-client',
      oauthClientSecret: CLIENT_SECRET,
      oauthScopes: 'mcp:tools offline_access',
    },
  });
  return createServer.id;
}

describe('auth settings', () => {
  test('the client secret is sealed in the database, shown only as set, and not a field of any type', async () => {
    const serverId = await createOAuthServer('Behind OAuth');
    const { server: read } = await ada.admin(ServerQuery, { id: serverId });
    expect(read).toMatchObject({
      authMode: 'OAUTH',
      oauthClientId: 'countersign-client',
      hasOauthClientSecret: true,
      oauthScopes: 'mcp:tools offline_access',
    });

    const sealed = storedSecret(serverId);
    expect(sealed).toBeString();
    expect(sealed).not.toContain(CLIENT_SECRET);
    expect(sealed).not.toContain(Buffer.from(CLIENT_SECRET).toString('base64url'));

    const introspected = await postGraphQL(server.url, '{ __schema { types { name fields { name } inputFields { name } } } }', {
      headers: { cookie: ada.cookie },
    });
    const types = (introspected.body.data!.__schema as { types: { name: string; fields: { name: string }[] | null }[] }).types;
    const secretFields = types.flatMap((t) =>
      (t.fields ?? []).filter((f) => /clientsecret/i.test(f.name)).map((f) => `${t.name}.${f.name}`),
    );
    expect(secretFields).toEqual(['McpServer.hasOauthClientSecret']);
    // Written through the inputs, read back only as a flag.
    expect(introspected.text).toContain('"oauthClientSecret"');
  });

  test('an update without the secret keeps it; a new one replaces it; an empty string or null removes it', async () => {
    const serverId = await createOAuthServer('Kept secret');
    const sealed = storedSecret(serverId);

    const kept = await ada.admin(UpdateServer, { id: serverId, input: { description: 'edited', oauthScopes: 'mcp:tools' } });
    expect(kept.updateServer).toMatchObject({ hasOauthClientSecret: true, oauthScopes: 'mcp:tools' });
    expect(storedSecret(serverId)).toBe(sealed);

    await ada.admin(UpdateServer, { id: serverId, input: { oauthClientSecret: 'another-secret' } });
    const replaced = storedSecret(serverId);
    expect(replaced).toBeString();
    expect(replaced).not.toBe(sealed);

    const emptied = await ada.admin(UpdateServer, { id: serverId, input: { oauthClientSecret: '' } });
    expect(emptied.updateServer.hasOauthClientSecret).toBe(false);
    expect(storedSecret(serverId)).toBeNull();

    await ada.admin(UpdateServer, { id: serverId, input: { oauthClientSecret: CLIENT_SECRET } });
    const nulled = await ada.admin(UpdateServer, { id: serverId, input: { oauthClientSecret: null } });
    expect(nulled.updateServer.hasOauthClientSecret).toBe(false);
    expect(storedSecret(serverId)).toBeNull();
  });

  test('refusals name the field: client credentials need a secret, OAuth is for HTTP servers', async () => {
    const noSecret = await failure(
      ada.admin(CreateServer, {
        input: { name: 'Service', transport: 'STREAMABLE_HTTP', url: UNREACHABLE, authMode: 'CLIENT_CREDENTIALS', oauthClientId: 'svc' },
      }),
    );
    expect({ code: noSecret.code, message: noSecret.message }).toEqual({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('oauthClientSecret:'),
    });

    const stdio = await failure(
      ada.admin(CreateServer, { input: { name: 'Local', transport: 'STDIO', command: '/bin/true', authMode: 'OAUTH' } }),
    );
    expect({ code: stdio.code, message: stdio.message }).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('authMode:') });
  });
});

describe('who has signed in', () => {
  test('lists a person once they hold tokens, never the tokens; revoking forgets them', async () => {
    const serverId = await createOAuthServer('Signed in at');
    const authorisations = async () => (await ada.admin(ServerAuthorisations, { id: serverId })).server!.authorisations;
    expect(await authorisations()).toEqual([]);

    await server.mcpHandlers.auth.deps.authorisations.save(umaId, serverId, 'http://127.0.0.1:9', {
      access_token: ACCESS_TOKEN,
      refresh_token: REFRESH_TOKEN,
      token_type: 'Bearer',
      scope: 'mcp:tools',
      expires_in: 3600,
    });
    const listed = await authorisations();
    expect(listed).toEqual([
      {
        user: { id: umaId, email: 'uma@countersign.dev', name: expect.any(String) },
        scope: 'mcp:tools',
        issuer: 'http://127.0.0.1:9',
        authorisedAt: expect.any(String),
        updatedAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    ]);
    expect(new Date(listed[0]!.expiresAt!).getTime()).toBeGreaterThan(Date.now());

    const everything = await postGraphQL(
      server.url,
      `{ server(id: "${serverId}") { authorisations { user { id email name } scope issuer authorisedAt updatedAt expiresAt } } }`,
      { headers: { cookie: ada.cookie } },
    );
    for (const token of [ACCESS_TOKEN, REFRESH_TOKEN]) expect(everything.text).not.toContain(token);

    expect(await ada.admin(RevokeMcpAuthorisation, { serverId, userId: umaId })).toEqual({ revokeMcpAuthorisation: true });
    expect(await authorisations()).toEqual([]);
    expect(await server.mcpHandlers.auth.deps.authorisations.has(umaId, serverId)).toBe(false);
    expect(await ada.admin(RevokeMcpAuthorisation, { serverId, userId: umaId })).toEqual({ revokeMcpAuthorisation: false });
    const unknown = await failure(ada.admin(RevokeMcpAuthorisation, { serverId: crypto.randomUUID(), userId: umaId }));
    expect(unknown.code).toBe('NOT_FOUND');
  });

  test('a person without the admin role can neither list nor revoke', async () => {
    const serverId = await createOAuthServer('Not for Uma');
    await server.mcpHandlers.auth.deps.authorisations.save(umaId, serverId, 'http://127.0.0.1:9', {
      access_token: ACCESS_TOKEN,
      token_type: 'Bearer',
    });
    const headers = { cookie: uma.cookie };
    const list = await postGraphQL(server.url, `{ server(id: "${serverId}") { authorisations { scope } } }`, { headers });
    expect(codes(list)).toEqual(['FORBIDDEN']);
    const revoke = await postGraphQL(server.url, 'mutation($s: ID!, $u: ID!) { revokeMcpAuthorisation(serverId: $s, userId: $u) }', {
      headers,
      variables: { s: serverId, u: umaId },
    });
    expect(codes(revoke)).toEqual(['FORBIDDEN']);
    expect(await server.mcpHandlers.auth.deps.authorisations.has(umaId, serverId)).toBe(true);
  });
});

describe('connection test', () => {
  let authorizationServer: AuthorizationServer;
  let protectedServer: ProtectedMcpServer;
  beforeAll(async () => {
    authorizationServer = await startAuthorizationServer();
    protectedServer = await startProtectedMcpServer({ authorizationServer });
  });
  afterAll(async () => {
    await protectedServer.stop();
    await authorizationServer.stop();
  });

  test('a client secret typed for the test is used as typed, and reaches the authorisation server', async () => {
    const { testConnection } = await ada.admin(TestConnection, {
      input: {
        name: 'Service identity',
        transport: 'STREAMABLE_HTTP',
        url: protectedServer.url,
        authMode: 'CLIENT_CREDENTIALS',
        oauthClientId: 'unknown-service',
        oauthClientSecret: 'typed-for-the-test',
      },
    });
    // Refused there, not before: the typed secret was sealed as stored ones are, so the connection could open it.
    expect(testConnection).toMatchObject({
      ok: false,
      error: 'Service identity: the authorisation server refused: invalid_client (client authentication failed)',
    });
  });
});
