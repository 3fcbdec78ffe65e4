import { describe, expect, test } from 'bun:test';
import { safeReturnTo } from '../../server/auth/sign-in-flow.ts';
import { startTestServer } from '../support/test-server.ts';
import { HttpBrowser, isCallback } from '../support/http-browser.ts';
import { SESSION_COOKIE, sessionRows } from './helpers.ts';

/** Runs the development sign-in up to the provider's redirect back, without following it. */
async function callbackUrlFor(browser: HttpBrowser, appUrl: string): Promise<URL> {
  const picker = await browser.navigate(`${appUrl}/auth/login`);
  const action = /<form method="post" action="([^"]+)">/.exec(await picker.response.text())![1]!;
  const { response, url } = await browser.navigate(
    new URL(action, picker.url),
    { method: 'POST', body: new URLSearchParams({ account: 'uma@countersign.dev' }) },
    (next) => next.pathname.startsWith('/auth/') && next.origin !== new URL(appUrl).origin,
  );
  const location = response.headers.get('location');
  expect(url.origin).not.toBe(new URL(appUrl).origin);
  const callback = new URL(location!, url);
  expect(isCallback(callback)).toBe(true);
  return callback;
}

describe('the callback refuses responses that do not belong to this browser', () => {
  test('a tampered state is refused, with no session', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    const callback = await callbackUrlFor(browser, server.url);
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);

    const res = await browser.fetch(callback);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('state mismatch');
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(sessionRows(server)).toBe(0);
  });

  test('a callback without the sign-in cookie (another browser, or an expired attempt) is refused', async () => {
    await using server = await startTestServer();
    const callback = await callbackUrlFor(new HttpBrowser(), server.url);
    const elsewhere = new HttpBrowser();
    const res = await elsewhere.fetch(callback);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This sign-in attempt has expired');
    expect(elsewhere.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(sessionRows(server)).toBe(0);
  });

  test('a replayed code is refused by the provider, with no second session', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    const callback = await callbackUrlFor(browser, server.url);
    const signInCookie = browser.cookies.get('countersign_sign_in')!;
    expect((await browser.fetch(callback)).status).toBe(302);
    expect(sessionRows(server)).toBe(1);

    const attacker = new HttpBrowser();
    attacker.cookies.set('countersign_sign_in', signInCookie);
    const replay = await attacker.fetch(callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('refused the sign-in code');
    expect(attacker.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(sessionRows(server)).toBe(1);
  });

  test('safeReturnTo keeps same-origin paths only', () => {
    expect(safeReturnTo('/chats/1?x=2#m')).toBe('/chats/1?x=2#m');
    for (const hostile of [
      null,
      '',
      'chats',
      'https://evil.test',
      '//evil.test',
      '/\\evil.test',
      '/ok\nSet-Cookie: x',
      'javascript:alert(1)',
    ]) {
      expect(safeReturnTo(hostile)).toBe('/');
    }
  });
});
