import { describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../db/database.ts';
import type { SessionsEndedEvent } from '../../server/auth/auth-service.ts';
import { DrizzleSessionStore } from '../../server/auth/session-store.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import { hashToken } from '../../server/auth/tokens.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { startTestServer, tempDir } from '../support/test-server.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { authCaller, requestFrom, SESSION_COOKIE, sessionRows } from './helpers.ts';

describe('sessions', () => {
  test('only the SHA-256 of the session token is stored', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');
    const token = browser.cookies.get(SESSION_COOKIE)!;
    const rows = server.db.sqlite.query('SELECT token_hash AS tokenHash FROM sessions').all() as { tokenHash: string }[];
    expect(rows).toEqual([{ tokenHash: hashToken(token) }]);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('POST /auth/logout ends the session on the server: the old cookie is refused afterwards', async () => {
    await using server = await startTestServer();
    const ended: SessionsEndedEvent[] = [];
    server.auth.onSessionsEnded((e) => ended.push(e));
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');
    const oldCookie = `${SESSION_COOKIE}=${browser.cookies.get(SESSION_COOKIE)}`;

    const res = await browser.fetch(`${server.url}/auth/logout`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are signed out');
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(sessionRows(server)).toBe(0);
    expect(ended).toEqual([{ userId: expect.any(String), tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);

    // Someone who kept a copy of the cookie gets nothing from it.
    const replay = new Request(`${server.url}/trpc/auth.me`, { headers: { cookie: oldCookie } });
    expect(await server.auth.authenticate(replay)).toBeNull();
    const caller = await authCaller(server.auth, replay);
    await expect(caller.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const page = await fetch(`${server.url}/`, { headers: { cookie: oldCookie }, redirect: 'manual' });
    expect(page.status).toBe(302);
  });

  test('the old cookie gets UNAUTHORIZED from auth.me over HTTP tRPC after logout', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');
    const oldCookie = `${SESSION_COOKIE}=${browser.cookies.get(SESSION_COOKIE)}`;
    expect((await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: oldCookie } })).status).toBe(200);
    await browser.fetch(`${server.url}/auth/logout`, { method: 'POST' });
    expect((await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: oldCookie } })).status).toBe(401);
  });

  test('auth.logout over tRPC ends only the calling session', async () => {
    await using server = await startTestServer();
    const laptop = new HttpBrowser();
    const phone = new HttpBrowser();
    await signInWithDevProvider(laptop, server.url, 'uma@countersign.dev');
    await signInWithDevProvider(phone, server.url, 'uma@countersign.dev');
    expect(sessionRows(server)).toBe(2);

    const caller = await authCaller(server.auth, requestFrom(laptop, server.url));
    expect(await caller.logout()).toEqual({ signedOut: true });
    expect(await server.auth.authenticate(requestFrom(laptop, server.url))).toBeNull();
    expect(await server.auth.authenticate(requestFrom(phone, server.url))).toMatchObject({ email: 'uma@countersign.dev' });
  });

  test('a disabled user loses existing sessions at once and is refused sign-in', async () => {
    await using server = await startTestServer();
    const { auth } = server;
    const ended: SessionsEndedEvent[] = [];
    auth.onSessionsEnded((e) => ended.push(e));
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'ulf@countersign.dev');
    const ulf = (await auth.authenticate(requestFrom(browser, server.url)))!;

    expect(await auth.disableUser(ulf.id)).toBe(true);
    expect(ended).toEqual([{ userId: ulf.id }]);
    expect(sessionRows(server)).toBe(0);
    expect(await auth.authenticate(requestFrom(browser, server.url))).toBeNull();

    const again = new HttpBrowser();
    const refused = await signInWithDevProvider(again, server.url, 'ulf@countersign.dev');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Your account is disabled');
    expect(again.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(sessionRows(server)).toBe(0);
  });

  test('a user disabled behind the service’s back (e.g. directly in the database) is refused at the next request', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'ulf@countersign.dev');
    server.db.sqlite.run("UPDATE users SET disabled = 1 WHERE email = 'ulf@countersign.dev'");
    expect(await server.auth.authenticate(requestFrom(browser, server.url))).toBeNull();
    expect(sessionRows(server)).toBe(0);
  });

  test('changing a role ends the user’s sessions, and the new role applies at the next sign-in', async () => {
    await using server = await startTestServer();
    const { auth } = server;
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'ulf@countersign.dev');
    const ulf = (await auth.authenticate(requestFrom(browser, server.url)))!;
    expect(ulf.role).toBe('user');

    expect(await auth.setRole(ulf.id, 'admin')).toBe(true);
    expect(await auth.authenticate(requestFrom(browser, server.url))).toBeNull();
    await signInWithDevProvider(browser, server.url, 'ulf@countersign.dev');
    expect(await auth.authenticate(requestFrom(browser, server.url))).toMatchObject({ id: ulf.id, role: 'admin' });
  });

  test('sliding expiry: extended only when less than half the lifetime remains; expired sessions are removed', async () => {
    const dir = tempDir();
    const db = openSqliteDatabase(join(dir, 'sessions.db'));
    try {
      const user = await new DrizzleUserStore(db).upsertOnSignIn(
        { issuer: 'https://issuer.test', subject: 's', tenantId: null, email: null, name: null },
        new Date(),
      );
      let now = 1_000_000;
      const sessions = new Sessions(new DrizzleSessionStore(db), 1000, () => now);
      const token = await sessions.create(user.id, 'test-agent');

      now += 400; // 600 ms left of 1000: more than half, no write
      expect((await sessions.validate(token))?.expiresAt.getTime()).toBe(1_001_000);
      now += 200; // 400 ms left: extended to a full lifetime from now
      expect((await sessions.validate(token))?.expiresAt.getTime()).toBe(1_001_600);
      now = 1_001_600; // the extended expiry itself: over
      expect(await sessions.validate(token)).toBeNull();
      expect(db.sqlite.query('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
      expect(await sessions.validate('not a token')).toBeNull();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('service API tokens', () => {
  test('Authorization: Bearer cs_… authenticates as the token’s user; unknown tokens and disabled users do not', async () => {
    await using server = await startTestServer();
    const { auth } = server;
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');
    const uma = (await auth.authenticate(requestFrom(browser, server.url)))!;

    const token = await auth.issueApiToken(uma.id, 'reporting service');
    expect(token).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    const stored = server.db.sqlite.query('SELECT token_hash AS h FROM api_tokens').get() as { h: string };
    expect(stored.h).toBe(hashToken(token));

    const bearer = (value: string) => new Request(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${value}` } });
    expect(await auth.authenticate(bearer(token))).toEqual({ ...uma, via: 'api-token' });
    const caller = await authCaller(auth, bearer(token));
    expect(await caller.me()).toMatchObject({ id: uma.id, via: 'api-token' });
    await expect(caller.logout()).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    expect(await auth.authenticate(bearer(`cs_${'A'.repeat(43)}`))).toBeNull();
    expect(await auth.authenticate(bearer('garbage'))).toBeNull();
    await auth.disableUser(uma.id);
    expect(await auth.authenticate(bearer(token))).toBeNull();
  });
});
