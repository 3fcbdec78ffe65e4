/**
 * `servers.authorisations` and `servers.revokeAuthorisation`: a person sees and revokes only
 * their own sign-ins at a server behind OAuth (a real authorisation server and a real protected
 * MCP server), and revoking closes their live connection, so its next use asks them to sign in
 * again, while everyone else's goes on.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../shared/client.ts';
import { MCP_SIGN_IN_PATH } from '../../shared/servers.ts';
import { type AuthorizationServer, startAuthorizationServer } from '../support/oauth-authorization-server.ts';
import { signIn, type Person } from '../support/people.ts';
import { type ProtectedMcpServer, startProtectedMcpServer } from '../support/protected-mcp-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Whole servers on a loaded 2-core machine: bun's 5 s default is too tight.
setDefaultTimeout(30_000);

let authorizationServer: AuthorizationServer;
let tracker: ProtectedMcpServer;
let server: TestServer;
let trackerId: string;
let uma: Person;
let ulf: Person;
let ada: Person;

/** The person's browser goes through "Sign in to Tracker" and picks `account` at the authorisation server. */
async function signInToTracker(person: Person, account: string): Promise<void> {
  const headers = { cookie: person.cookie };
  const start = await fetch(`${server.url}${MCP_SIGN_IN_PATH}?server=${trackerId}&returnTo=/`, { headers, redirect: 'manual' });
  expect(start.status).toBe(302);
  const callback = await authorizationServer.authorize(start.headers.get('location')!, account);
  const back = await fetch(callback, { headers, redirect: 'manual' });
  expect({ status: back.status, location: back.headers.get('location') }).toEqual({ status: 302, location: '/' });
}

async function trackerAsSeenBy(person: Person) {
  const tracked = (await person.client.api.servers.list.query()).find((s) => s.id === trackerId);
  if (!tracked) throw new Error('Tracker is not in the catalogue');
  return tracked;
}

const userIdOf = async (person: Person) => (await person.client.api.auth.me.query()).id;
const rowsFor = async (serverId: string) =>
  (await server.mcpHandlers.auth.deps.authorisations.listForServer(serverId)).map((row) => row.userId).sort();

beforeAll(async () => {
  authorizationServer = await startAuthorizationServer();
  tracker = await startProtectedMcpServer({ authorizationServer });
  server = await startTestServer();
  ({ id: trackerId } = await server.catalogue.create({
    name: 'Tracker',
    transport: 'streamable-http',
    url: tracker.url,
    authMode: 'oauth',
  }));
  [uma, ulf, ada] = await Promise.all([
    signIn(server.url, 'uma@countersign.dev'),
    signIn(server.url, 'ulf@countersign.dev'),
    signIn(server.url, 'ada@countersign.dev'),
  ]);
  for (const person of [uma, ulf, ada]) {
    await person.client.api.session.initialize.mutate();
    await person.client.api.servers.connect.mutate({ serverId: trackerId });
  }
  await signInToTracker(uma, 'uma@example.test');
  await signInToTracker(ulf, 'ulf@example.test');
});
afterAll(async () => {
  await Promise.all([uma, ulf, ada].map((person) => person?.client.close()));
  await server?.[Symbol.asyncDispose]();
  await tracker?.stop();
  await authorizationServer?.stop();
});

describe('a person’s own sign-ins at servers behind OAuth', () => {
  test('each person lists only their own authorisations: the server, the scope and when, never a token', async () => {
    const [umas, ulfs, adas] = await Promise.all([
      uma.client.api.servers.authorisations.query(),
      ulf.client.api.servers.authorisations.query(),
      ada.client.api.servers.authorisations.query(),
    ]);

    expect(umas).toEqual([
      { serverId: trackerId, serverName: 'Tracker', scope: 'mcp:tools', authorisedAt: expect.any(String), expiresAt: expect.any(String) },
    ]);
    expect(Date.parse(umas[0]!.expiresAt!)).toBeGreaterThan(Date.parse(umas[0]!.authorisedAt));
    expect(ulfs).toHaveLength(1);
    expect(adas).toEqual([]);
    expect(await rowsFor(trackerId)).toEqual([await userIdOf(uma), await userIdOf(ulf)].sort());
  });

  test('revoking a server one never signed in to is false and touches no one else’s tokens', async () => {
    await expect(ada.client.api.servers.revokeAuthorisation.mutate({ serverId: trackerId })).resolves.toBe(false);
    await expect(ada.client.api.servers.revokeAuthorisation.mutate({ serverId: 'no-such-server' })).resolves.toBe(false);

    expect(await rowsFor(trackerId)).toEqual([await userIdOf(uma), await userIdOf(ulf)].sort());
    expect((await trackerAsSeenBy(uma)).connection).toBe('connected');
  });

  test('revoking removes the caller’s tokens and drops her live connection; the next use asks her to sign in, and Ulf goes on', async () => {
    const whoami = (await trackerAsSeenBy(uma)).tools.find((t) => t.name === 'whoami')!.uniqueName;
    const umaId = await userIdOf(uma);
    const before = await server.mcpHandlers.forUser(umaId).callTool(whoami, {});
    expect(before).toMatchObject({ ok: true, text: expect.stringContaining('uma@example.test') });

    await expect(uma.client.api.servers.revokeAuthorisation.mutate({ serverId: trackerId })).resolves.toBe(true);

    expect(await rowsFor(trackerId)).toEqual([await userIdOf(ulf)]);
    await expect(uma.client.api.servers.authorisations.query()).resolves.toEqual([]);
    expect(await trackerAsSeenBy(uma)).toMatchObject({ connection: 'needs_sign_in', error: 'Tracker needs you to sign in', tools: [] });
    const umasRequests = tracker.seen.filter((request) => request.subject === 'uma@example.test').length;
    const after = await server.mcpHandlers.forUser(umaId).callTool(whoami, {});
    expect(after).toMatchObject({ ok: false, kind: 'needs-sign-in', message: 'Tracker needs you to sign in' });
    expect(tracker.seen.filter((request) => request.subject === 'uma@example.test')).toHaveLength(umasRequests);

    const ulfs = await trackerAsSeenBy(ulf);
    expect(ulfs.connection).toBe('connected');
    const ulfsCall = await server.mcpHandlers.forUser(await userIdOf(ulf)).callTool(whoami, {});
    expect(ulfsCall).toMatchObject({ ok: true, text: expect.stringContaining('ulf@example.test') });

    // Revoked once is revoked: a second time there is nothing left to take.
    await expect(uma.client.api.servers.revokeAuthorisation.mutate({ serverId: trackerId })).resolves.toBe(false);
  });

  test('signing in again after revoking connects her again', async () => {
    await signInToTracker(uma, 'uma@example.test');

    const again = await trackerAsSeenBy(uma);
    expect(again.connection).toBe('connected');
    expect(again.tools.map((t) => t.name)).toContain('whoami');
    await expect(uma.client.api.servers.authorisations.query()).resolves.toHaveLength(1);
  });

  test('a revocation without a server id is refused as BAD_REQUEST', async () => {
    const refused = await uma.client.api.servers.revokeAuthorisation.mutate({ serverId: '' }).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('BAD_REQUEST');
  });
});
