import { describe, expect, test } from 'bun:test';
import { loadConfig, ConfigError } from '../../server/config.ts';
import { startDevProvider } from '../../server/auth/dev-provider.ts';
import { createLogger } from '../../server/log.ts';
import { startTestServer } from '../support/test-server.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { authCaller, requestFrom, SESSION_COOKIE, sessionRows } from './helpers.ts';

describe('sign-in through the embedded development provider', () => {
  test('an unsigned visitor to / is sent to sign-in, picks Ada, and comes back signed in', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();

    const home = await browser.fetch(`${server.url}/`);
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/auth/login?returnTo=%2F');

    const callback = await signInWithDevProvider(browser, server.url, 'ada@countersign.dev');
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/');
    expect(browser.cookies.get(SESSION_COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookies.has('countersign_sign_in')).toBe(false);
    expect(sessionRows(server)).toBe(1);

    // The web chat at / is tested in tests/browser; here, that the session is Ada's.
    const me = await browser.fetch(`${server.url}/trpc/auth.me`);
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toMatchObject({
      name: 'Ada Admin',
      email: 'ada@countersign.dev',
      role: 'admin',
    });
  });

  test('auth.me returns the signed-in user (tRPC caller with the context built from the request)', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');

    const caller = await authCaller(server.auth, requestFrom(browser, `${server.url}/trpc/auth.me`));
    expect(await caller.me()).toEqual({
      id: expect.any(String),
      email: 'uma@countersign.dev',
      name: 'Uma User',
      role: 'user',
      via: 'session',
    });
    const anonymous = await authCaller(server.auth, new Request(`${server.url}/trpc/auth.me`));
    await expect(anonymous.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  test('auth.me over HTTP tRPC at /trpc', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');

    const res = await browser.fetch(`${server.url}/trpc/auth.me`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: unknown } };
    expect(body.result.data).toMatchObject({ email: 'uma@countersign.dev', name: 'Uma User', role: 'user', via: 'session' });

    const anonymous = await fetch(`${server.url}/trpc/auth.me`);
    expect(anonymous.status).toBe(401);
  });

  test('the session cookie is HttpOnly, SameSite=Lax, Path=/, and not Secure outside production', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');
    const header = browser.setCookieHeaders.find((h) => h.startsWith(`${SESSION_COOKIE}=`) && !/max-age=0\b/i.test(h));
    expect(header).toBeDefined();
    const attributes = header!
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes).not.toContain('secure');
  });

  test('returnTo brings the person back to a path on this server, never to another site', async () => {
    await using server = await startTestServer();
    const back = await signInWithDevProvider(new HttpBrowser(), server.url, 'ulf@countersign.dev', '/chats/abc?tab=tools');
    expect(back.headers.get('location')).toBe('/chats/abc?tab=tools');

    for (const hostile of ['https://evil.test/', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)']) {
      const res = await signInWithDevProvider(new HttpBrowser(), server.url, 'ulf@countersign.dev', hostile);
      expect(res.headers.get('location')).toBe('/');
    }
  });

  test('ADMINS from the configuration get the admin role; development admins are admins; others are users', async () => {
    await using server = await startTestServer({ ADMINS: 'UMA@countersign.dev' });
    const roles: Record<string, string> = {};
    for (const email of ['ada@countersign.dev', 'uma@countersign.dev', 'ulf@countersign.dev']) {
      const browser = new HttpBrowser();
      await signInWithDevProvider(browser, server.url, email);
      const user = await server.auth.authenticate(requestFrom(browser, server.url));
      roles[email] = user!.role;
    }
    expect(roles).toEqual({ 'ada@countersign.dev': 'admin', 'uma@countersign.dev': 'admin', 'ulf@countersign.dev': 'user' });
  });

  test('switching accounts in the same browser: each sign-in shows the picker again', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'ada@countersign.dev');
    await signInWithDevProvider(browser, server.url, 'ulf@countersign.dev');
    const user = await server.auth.authenticate(requestFrom(browser, server.url));
    expect(user?.email).toBe('ulf@countersign.dev');
  });

  test('DEV_ACCOUNTS replaces the built-in development accounts', async () => {
    await using server = await startTestServer({
      DEV_ACCOUNTS: JSON.stringify([{ name: 'Grace Ops', email: 'grace@example.dev', role: 'admin' }]),
    });
    const browser = new HttpBrowser();
    const callback = await signInWithDevProvider(browser, server.url, 'grace@example.dev');
    expect(callback.status).toBe(302);
    const user = await server.auth.authenticate(requestFrom(browser, server.url));
    expect(user).toMatchObject({ name: 'Grace Ops', email: 'grace@example.dev', role: 'admin' });
  });

  test('a bad DEV_ACCOUNTS setting is refused by name', () => {
    expect(() => loadConfig({ DEV_ACCOUNTS: 'ada@countersign.dev' })).toThrow(/DEV_ACCOUNTS=/);
    expect(() => loadConfig({ DEV_ACCOUNTS: '[{"name":"X","email":"not-an-email"}]' })).toThrow(ConfigError);
  });

  test('the development provider refuses to start in production', async () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/development sign-in refuses to run in production/);
    const log = createLogger('error');
    await expect(startDevProvider({ env: 'production', port: 0, accounts: undefined, log })).rejects.toThrow(/never runs in production/);
  });
});
