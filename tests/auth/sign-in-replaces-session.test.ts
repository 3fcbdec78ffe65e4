/**
 * A browser holds one session. Signing in again in the same browser, as another account or the
 * same one, ends the session its cookie held: a copy of the old cookie, or a tab still connected
 * with it, must not keep the previous account signed in.
 */
import { describe, expect, test } from 'bun:test';
import { startTestServer } from '../support/test-server.ts';
import { closed, openSocket, wsUrl } from '../support/ws.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { SESSION_COOKIE, sessionRows } from './helpers.ts';

const whoIs = async (appUrl: string, cookie: string) => {
  const res = await fetch(`${appUrl}/trpc/auth.me`, { headers: { cookie } });
  return res.status === 200 ? ((await res.json()) as { result: { data: { email: string } } }).result.data.email : res.status;
};

const sessionCookieOf = (browser: HttpBrowser) => `${SESSION_COOKIE}=${browser.cookies.get(SESSION_COOKIE)}`;

describe('signing in while the browser already holds a session', () => {
  test('signing in as another account ends the previous account’s session and closes its socket', async () => {
    await using server = await startTestServer();
    const browser = new HttpBrowser();
    await signInWithDevProvider(browser, server.url, 'ada@countersign.dev');
    const adaCookie = sessionCookieOf(browser);
    const adaTab = await openSocket(wsUrl(server.url), { cookie: adaCookie, origin: server.url });
    expect(adaTab.opened).toBe(true);
    const tabClosed = closed(adaTab.socket);

    await signInWithDevProvider(browser, server.url, 'ulf@countersign.dev');

    expect(await whoIs(server.url, sessionCookieOf(browser))).toBe('ulf@countersign.dev');
    expect(await whoIs(server.url, adaCookie)).toBe(401);
    expect(await tabClosed).toBe(4401);
    expect(sessionRows(server)).toBe(1);
  });

  test('signing in again as the same account replaces the session; the person’s other browsers keep theirs', async () => {
    await using server = await startTestServer();
    const laptop = new HttpBrowser();
    const phone = new HttpBrowser();
    await signInWithDevProvider(laptop, server.url, 'uma@countersign.dev');
    await signInWithDevProvider(phone, server.url, 'uma@countersign.dev');
    const before = sessionCookieOf(laptop);

    await signInWithDevProvider(laptop, server.url, 'uma@countersign.dev');

    expect(sessionCookieOf(laptop)).not.toBe(before);
    expect(await whoIs(server.url, before)).toBe(401);
    expect(await whoIs(server.url, sessionCookieOf(laptop))).toBe('uma@countersign.dev');
    expect(await whoIs(server.url, sessionCookieOf(phone))).toBe('uma@countersign.dev');
    expect(sessionRows(server)).toBe(2);
  });
});
