/**
 * People sign in to an MCP server behind OAuth through a real Countersign server: the server is
 * the SDK-protected test server (tests/support/protected-mcp-server.ts) and its authorisation
 * server is oidc-provider (tests/support/oauth-authorization-server.ts). Each person signs in to
 * Countersign through the development sign-in, then at the authorisation server with their own
 * account there (uma@countersign.dev as uma@example.test, ulf@countersign.dev as ulf@example.test),
 * and their calls carry their own token, refreshed when it expires and asked for again when the
 * grant is revoked. Tokens stay sealed in the database and go only to the server they are for.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolCallResult } from '../../server/agent/tool-port.ts';
import { createCountersignClient } from '../../shared/client.ts';
import { requestFrom } from '../auth/helpers.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { startAuthorizationServer } from '../support/oauth-authorization-server.ts';
import { startProtectedMcpServer } from '../support/protected-mcp-server.ts';
import { startTestServer } from '../support/test-server.ts';
import { startMutableServer, tool } from './fixtures/mutable-server.ts';
import { startMaliciousOAuthServer } from './malicious-oauth-server.ts';

const authorizationServer = await startAuthorizationServer();
const tracker = await startProtectedMcpServer({ authorizationServer });
const server = await startTestServer();
afterAll(async () => {
  await server[Symbol.asyncDispose]();
  await tracker.stop();
  await authorizationServer.stop();
});

const WHOAMI = 'tracker__whoami';
const NEEDS_SIGN_IN = 'Tracker needs you to sign in';

interface Person {
  id: string;
  /** Their browser, holding their Countersign session cookie. */
  browser: HttpBrowser;
  /** Who they are at the MCP server's authorisation server. */
  account: string;
}

async function signInToCountersign(email: string, account: string): Promise<Person> {
  const browser = new HttpBrowser();
  await signInWithDevProvider(browser, server.url, email);
  const user = await server.auth.authenticate(requestFrom(browser, server.url));
  if (!user) throw new Error(`${email} is not signed in to Countersign`);
  return { id: user.id, browser, account };
}

const uma = await signInToCountersign('uma@countersign.dev', 'uma@example.test');
const ulf = await signInToCountersign('ulf@countersign.dev', 'ulf@example.test');

/** A fresh Tracker entry for every test, removed afterwards (people's authorisations go with it). */
let trackerId: string;
beforeEach(async () => {
  trackerId = (await server.catalogue.create({ name: 'Tracker', transport: 'streamable-http', url: tracker.url, authMode: 'oauth' })).id;
});
afterEach(async () => {
  if (await server.catalogue.get(trackerId)) await server.catalogue.delete(trackerId);
});

const startUrl = (serverId: string, returnTo = '/chats/abc') =>
  `${server.url}/mcp-oauth/start?server=${encodeURIComponent(serverId)}&returnTo=${encodeURIComponent(returnTo)}`;

/** "Sign in to Tracker": the start route's redirect to the authorisation server. */
async function startSignIn(person: Person, serverId = trackerId): Promise<string> {
  const response = await person.browser.fetch(startUrl(serverId));
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`the sign-in did not start: ${response.status} ${await response.text()}`);
  return location;
}

/** The whole sign-in: start, pick the account at the authorisation server, come back through the callback. */
async function signInToTracker(person: Person): Promise<Response> {
  const authorizationUrl = await startSignIn(person);
  expect(new URL(authorizationUrl).origin).toBe(authorizationServer.issuer);
  const callback = await authorizationServer.authorize(authorizationUrl, person.account);
  return person.browser.fetch(callback);
}

const handler = (person: Person) => server.mcpHandlers.forUser(person.id);

/** Connected to Tracker and signed in there. */
async function connectAndSignIn(person: Person): Promise<void> {
  await handler(person).connect(trackerId);
  expect((await signInToTracker(person)).status).toBe(302);
}

function textOf(result: ToolCallResult): string {
  if (!result.ok) throw new Error(`the call failed (${result.kind}): ${result.message}`);
  return result.text;
}

/** Calls whoami as the person; returns its text and what the protected server saw during the call. */
async function whoami(person: Person) {
  const before = tracker.seen.length;
  const text = textOf(await handler(person).callTool(WHOAMI, {}));
  return { text, seen: tracker.seen.slice(before) };
}

async function trackerState(person: Person) {
  return (await handler(person).listTools()).servers.find((s) => s.serverId === trackerId);
}

const authorisations = () => server.mcpHandlers.auth.deps.authorisations;

function rows(table: 'mcp_authorisations' | 'mcp_oauth_clients' | 'mcp_oauth_flows', column: 'server_id' | 'user_id', id: string): number {
  return (server.db.sqlite.query(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).get(id) as { n: number }).n;
}

describe('a person who has not signed in at the server', () => {
  test('connects to a server that needs them to sign in, and no request reaches it', async () => {
    const seenBefore = tracker.seen.length;
    const client = createCountersignClient({
      url: server.url,
      headers: { cookie: requestFrom(uma.browser, server.url).headers.get('cookie')! },
    });
    try {
      const dto = await client.api.servers.connect.mutate({ serverId: trackerId });
      expect(dto).toMatchObject({ id: trackerId, connection: 'needs_sign_in', error: NEEDS_SIGN_IN });
      expect(dto.error).not.toContain('could not be reached');
    } finally {
      await client.close();
    }
    expect(await trackerState(uma)).toMatchObject({ status: 'needs_sign_in', error: NEEDS_SIGN_IN });
    expect(await handler(uma).callTool(WHOAMI, {})).toMatchObject({ ok: false, kind: 'needs-sign-in', message: NEEDS_SIGN_IN });
    expect(tracker.seen.length).toBe(seenBefore);
  });
});

describe('signing in', () => {
  test('sends the browser to the authorisation server and back to where it came from; then calls carry their token', async () => {
    await handler(uma).connect(trackerId);
    const back = await signInToTracker(uma);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/chats/abc');

    expect((await handler(uma).listTools()).tools.map((t) => t.uniqueName)).toContain(WHOAMI);
    const { text, seen } = await whoami(uma);
    expect(text).toBe('uma@example.test with scopes mcp:tools');
    expect(seen.length).toBeGreaterThan(0);
    const stored = await authorisations().get(uma.id, trackerId);
    for (const request of seen) expect(request).toEqual({ subject: 'uma@example.test', accessToken: stored!.tokens.access_token });
    expect(await trackerState(uma)).toMatchObject({ status: 'connected' });
  });

  test("each person's calls carry their own token, never the other's", async () => {
    await connectAndSignIn(uma);
    await connectAndSignIn(ulf);
    const calls = [await whoami(ulf), await whoami(uma), await whoami(ulf)];
    expect(calls.map((c) => c.text.split(' ')[0])).toEqual(['ulf@example.test', 'uma@example.test', 'ulf@example.test']);
    expect(calls.map((c) => new Set(c.seen.map((s) => s.subject)))).toEqual([
      new Set(['ulf@example.test']),
      new Set(['uma@example.test']),
      new Set(['ulf@example.test']),
    ]);
    const tokensOf = (subject: string) => new Set(tracker.seen.filter((s) => s.subject === subject).map((s) => s.accessToken));
    const umas = tokensOf('uma@example.test');
    expect([...tokensOf('ulf@example.test')].filter((token) => umas.has(token))).toEqual([]);
  });

  test('an expired token is refreshed without asking the person to sign in', async () => {
    await connectAndSignIn(uma);
    const first = await whoami(uma);
    const expired = first.seen.at(-1)!.accessToken;
    tracker.expire(expired);

    const after = await whoami(uma);
    expect(after.text).toStartWith('uma@example.test ');
    const fresh = after.seen.at(-1)!.accessToken;
    expect(fresh).not.toBe(expired);
    expect((await authorisations().get(uma.id, trackerId))?.tokens.access_token).toBe(fresh);
    expect(await trackerState(uma)).toMatchObject({ status: 'connected' });
    expect(rows('mcp_oauth_flows', 'user_id', uma.id)).toBe(0);
  });

  test('after the grant is revoked at the authorisation server the person must sign in again, and can', async () => {
    await connectAndSignIn(uma);
    await connectAndSignIn(ulf);
    expect((await whoami(uma)).text).toStartWith('uma@example.test ');

    await authorizationServer.revokeGrantsOf(uma.account);
    expect(await handler(uma).callTool(WHOAMI, {})).toMatchObject({ ok: false, kind: 'needs-sign-in', message: NEEDS_SIGN_IN });
    expect(await trackerState(uma)).toMatchObject({ status: 'needs_sign_in', error: NEEDS_SIGN_IN });
    expect(await authorisations().has(uma.id, trackerId)).toBe(false);
    expect((await whoami(ulf)).text).toStartWith('ulf@example.test ');

    expect((await signInToTracker(uma)).status).toBe(302);
    expect((await whoami(uma)).text).toStartWith('uma@example.test ');
    expect(await trackerState(uma)).toMatchObject({ status: 'connected' });
  });
});

describe('tokens at rest', () => {
  test('no file in the data folder holds an access token, a refresh token or the registered client secret', async () => {
    await connectAndSignIn(uma);
    await connectAndSignIn(ulf);
    await whoami(uma);
    await whoami(ulf);
    const tokens = new Set(tracker.seen.map((s) => s.accessToken));
    for (const person of [uma, ulf]) {
      const stored = await authorisations().get(person.id, trackerId);
      tokens.add(stored!.tokens.access_token);
      if (!stored?.tokens.refresh_token) throw new Error('the authorisation server issued no refresh token');
      tokens.add(stored.tokens.refresh_token);
    }
    const registered = await server.mcpHandlers.auth.deps.clients.get(trackerId, authorizationServer.issuer);
    if (!registered?.client_secret) throw new Error('the authorisation server issued no client secret');
    tokens.add(registered.client_secret);

    server.db.sqlite.run('PRAGMA wal_checkpoint(TRUNCATE)');
    const files = readdirSync(server.config.dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    const contents = files.map((f) => readFileSync(join(f.parentPath, f.name)).toString('latin1'));
    // The rows reached the file: what is kept in the clear is there.
    expect(contents.some((c) => c.includes(authorizationServer.issuer))).toBe(true);
    for (const token of tokens) expect(contents.filter((c) => c.includes(token))).toEqual([]);
  });
});

describe('the callback', () => {
  test('used twice: the second time is refused as expired or used', async () => {
    const authorizationUrl = await startSignIn(uma);
    const callback = await authorizationServer.authorize(authorizationUrl, uma.account);
    expect((await uma.browser.fetch(callback)).status).toBe(302);

    const replayed = await uma.browser.fetch(callback);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('This sign-in has expired or was already used.');
  });

  test("with another person's session: refused, and nobody gets tokens", async () => {
    const authorizationUrl = await startSignIn(uma);
    const callback = await authorizationServer.authorize(authorizationUrl, uma.account);

    const refused = await ulf.browser.fetch(callback);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('This sign-in was started by another account.');
    expect(await authorisations().has(ulf.id, trackerId)).toBe(false);
    expect(await authorisations().has(uma.id, trackerId)).toBe(false);
  });

  test("the authorisation server's refusal is shown in its own words", async () => {
    const authorizationUrl = new URL(await startSignIn(uma));
    const callback = new URL(`${server.url}/mcp-oauth/callback`);
    callback.searchParams.set('error', 'access_denied');
    callback.searchParams.set('state', authorizationUrl.searchParams.get('state')!);
    callback.searchParams.set('iss', authorizationServer.issuer);

    const refused = await uma.browser.fetch(callback);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('The authorisation server refused: access_denied');
    expect(await authorisations().has(uma.id, trackerId)).toBe(false);
  });
});

describe('authorisations go with', () => {
  test('the catalogue entry', async () => {
    await connectAndSignIn(uma);
    await startSignIn(ulf);
    expect(rows('mcp_authorisations', 'server_id', trackerId)).toBe(1);
    expect(rows('mcp_oauth_flows', 'server_id', trackerId)).toBe(1);
    expect(rows('mcp_oauth_clients', 'server_id', trackerId)).toBe(1);

    await server.catalogue.delete(trackerId);
    expect(rows('mcp_authorisations', 'server_id', trackerId)).toBe(0);
    expect(rows('mcp_oauth_flows', 'server_id', trackerId)).toBe(0);
    expect(rows('mcp_oauth_clients', 'server_id', trackerId)).toBe(0);
  });

  test('the person', async () => {
    const ada = await signInToCountersign('ada@countersign.dev', 'uma@example.test');
    await connectAndSignIn(ada);
    expect(rows('mcp_authorisations', 'user_id', ada.id)).toBe(1);

    server.db.sqlite.query('DELETE FROM users WHERE id = ?').run(ada.id);
    expect(rows('mcp_authorisations', 'user_id', ada.id)).toBe(0);
  });
});

describe('hostile authorisation server metadata (the CVE-2025-6514 class)', () => {
  for (const [endpoint, named] of [
    ['javascript:alert(1)', 'javascript'],
    ['file:///etc/passwd', 'file'],
    ['http://evil.example/authorize', 'http://evil.example'],
  ] as const) {
    test(`an authorization endpoint of ${endpoint} is refused, naming ${named}, and the browser is not sent there`, async () => {
      await using hostile = startMaliciousOAuthServer(endpoint);
      const entry = await server.catalogue.create({ name: 'Hostile', transport: 'streamable-http', url: hostile.url, authMode: 'oauth' });
      try {
        const refused = await uma.browser.fetch(startUrl(entry.id));
        expect(refused.headers.get('location')).toBeNull();
        expect(refused.status).toBeGreaterThanOrEqual(400);
        const page = await refused.text();
        expect(page).toContain('Hostile');
        expect(page).toContain(named);
        // In words a person can read, the same for every scheme: not validation issues dumped as JSON.
        expect(page).toContain('authorization endpoint');
        expect(page).not.toContain('&#34;code&#34;');
        // It was the metadata that was refused: the sign-in got as far as reading it.
        expect(hostile.paths).toContain('/.well-known/oauth-authorization-server');
        expect(rows('mcp_oauth_flows', 'server_id', entry.id)).toBe(0);
      } finally {
        await server.catalogue.delete(entry.id);
      }
    });
  }
});

describe("an admin's pre-registered client", () => {
  test('is never sent to an authorisation server other than the one it is registered at', async () => {
    const entry = await server.catalogue.create({
      name: 'Moved',
      transport: 'streamable-http',
      url: tracker.url,
      authMode: 'oauth',
      oauthClientId: 'countersign-at-login',
      oauthClientSecret: 'the-secret-of-another-server',
      oauthIssuer: 'https://login.example.test',
    });
    try {
      const refused = await uma.browser.fetch(startUrl(entry.id));
      expect(refused.headers.get('location')).toBeNull();
      const page = await refused.text();
      expect(page).toContain(
        `names ${authorizationServer.issuer} as its authorisation server, but its client is registered at https://login.example.test`,
      );
      expect(rows('mcp_oauth_flows', 'server_id', entry.id)).toBe(0);
    } finally {
      await server.catalogue.delete(entry.id);
    }
  });
});

describe("a person's token", () => {
  test('goes to the server it is for and to no other server of theirs', async () => {
    await using plain = startMutableServer([tool('echo')]);
    const entry = await server.catalogue.create({ name: 'Plain', transport: 'streamable-http', url: plain.url });
    try {
      await handler(uma).connect(entry.id);
      await connectAndSignIn(uma);
      const { seen } = await whoami(uma);
      expect(textOf(await handler(uma).callTool('plain__echo', { value: 'hi' }))).toBe('echo: {"value":"hi"}');

      const token = seen.at(-1)!.accessToken;
      expect(plain.headers.length).toBeGreaterThan(0);
      for (const headers of plain.headers) {
        expect(headers.get('authorization')).toBeNull();
        expect([...headers.values()].filter((value) => value.includes(token))).toEqual([]);
      }
    } finally {
      await server.catalogue.delete(entry.id);
    }
  });
});

describe("Countersign's Client ID Metadata Document", () => {
  test('names itself as the client id, the callback as its one redirect URI, and asks for no secret', async () => {
    const url = `${server.url}/mcp-oauth/client-metadata.json`;
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({
      client_id: url,
      client_name: 'Countersign',
      redirect_uris: [`${server.url}/mcp-oauth/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    });
  });
});
