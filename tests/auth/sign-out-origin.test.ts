/**
 * POST /auth/logout ends a session only when the app's own pages ask. The session cookie is
 * SameSite=Lax, which still rides on a POST from a sibling site (another port or subdomain of
 * the same site), so without this check any such page could sign people out.
 */
import { describe, expect, test } from 'bun:test';
import { startTestServer } from '../support/test-server.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { SESSION_COOKIE, sessionRows } from './helpers.ts';

async function signedInBrowser(appUrl: string): Promise<HttpBrowser> {
  const browser = new HttpBrowser();
  await signInWithDevProvider(browser, appUrl, 'uma@countersign.dev');
  return browser;
}

/** What the browser's Sign out form sends: a form POST. */
const signOutForm = (headers: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: '',
});

/**
 * The development sign-in when PUBLIC_URL names a proxy in front of the server: the provider
 * sends the browser back to PUBLIC_URL, and the callback reaches the server at its own address.
 */
async function signInBehindProxy(browser: HttpBrowser, appUrl: string, publicUrl: string): Promise<void> {
  const picker = await browser.navigate(`${appUrl}/auth/login`);
  const action = /<form method="post" action="([^"]+)">/.exec(await picker.response.text())?.[1];
  if (!action) throw new Error('no sign-in form on the development sign-in page');
  const provider = picker.url.origin;
  const { response } = await browser.navigate(
    new URL(action, picker.url),
    { method: 'POST', body: new URLSearchParams({ account: 'uma@countersign.dev' }) },
    (next) => next.origin === provider && next.pathname.startsWith('/auth/'),
  );
  const callback = new URL(response.headers.get('location')!);
  expect(callback.origin).toBe(publicUrl);
  expect((await browser.fetch(`${appUrl}${callback.pathname}${callback.search}`)).status).toBe(302);
}

const stillSignedIn = async (browser: HttpBrowser, appUrl: string) => (await browser.fetch(`${appUrl}/trpc/auth.me`)).status === 200;

describe('POST /auth/logout requires the app’s own Origin', () => {
  test('a sign-out posted from another site is refused with 403 and a reason, and the person stays signed in', async () => {
    await using server = await startTestServer();
    const browser = await signedInBrowser(server.url);
    const sibling = server.url.replace(/:\d+$/, ':1');
    for (const origin of ['https://evil.example', sibling, 'null']) {
      const res = await browser.fetch(`${server.url}/auth/logout`, signOutForm({ origin }));
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('This sign-out request came from another site');
      expect(browser.cookies.has(SESSION_COOKIE)).toBe(true);
      expect(await stillSignedIn(browser, server.url)).toBe(true);
    }
    expect(sessionRows(server)).toBe(1);
  });

  test('without Origin, a browser’s Sec-Fetch-Site saying another site is refused too', async () => {
    await using server = await startTestServer();
    const browser = await signedInBrowser(server.url);
    for (const site of ['cross-site', 'same-site']) {
      const res = await browser.fetch(`${server.url}/auth/logout`, signOutForm({ 'sec-fetch-site': site }));
      expect(res.status).toBe(403);
    }
    expect(await stillSignedIn(browser, server.url)).toBe(true);
  });

  test('Sign out from the app’s own page ends the session', async () => {
    await using server = await startTestServer();
    const browser = await signedInBrowser(server.url);
    const res = await browser.fetch(`${server.url}/auth/logout`, signOutForm({ origin: server.url, 'sec-fetch-site': 'same-origin' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are signed out');
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(sessionRows(server)).toBe(0);
  });

  test('behind a proxy, the app’s origin is PUBLIC_URL, not the address the server listens on', async () => {
    const publicUrl = 'https://chat.example.test';
    await using server = await startTestServer({ PUBLIC_URL: publicUrl });
    const browser = new HttpBrowser();
    await signInBehindProxy(browser, server.url, publicUrl);
    expect(await stillSignedIn(browser, server.url)).toBe(true);

    expect((await browser.fetch(`${server.url}/auth/logout`, signOutForm({ origin: server.url }))).status).toBe(403);
    expect(await stillSignedIn(browser, server.url)).toBe(true);
    expect((await browser.fetch(`${server.url}/auth/logout`, signOutForm({ origin: publicUrl }))).status).toBe(200);
    expect(sessionRows(server)).toBe(0);
  });

  test('a request with no Origin and no Sec-Fetch-Site (a script holding the cookie, not a browser page) signs out', async () => {
    await using server = await startTestServer();
    const browser = await signedInBrowser(server.url);
    const res = await browser.fetch(`${server.url}/auth/logout`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(sessionRows(server)).toBe(0);
  });
});
