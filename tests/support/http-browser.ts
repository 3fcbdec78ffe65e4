/**
 * A browser without pages, for sign-in and API tests: fetch that follows redirects one hop at a
 * time and keeps cookies the way browsers do for one host (cookies ignore the port, so the app on
 * 127.0.0.1 and the provider on 127.0.0.1 share a jar). Only what these flows need: no paths, no
 * expiry dates. Tests in a real browser use tests/support/browser.ts.
 */
import { expect } from 'bun:test';

export class HttpBrowser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header received, for attribute checks. */
  readonly setCookieHeaders: string[] = [];

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) {
      this.setCookieHeaders.push(header);
      const pair = header.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/;\s*(max-age=0\b|expires=Thu, 01 Jan 1970)/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
    return response;
  }

  /**
   * Follows redirects (a 303 turns into a GET) until a response that is not a redirect, or until
   * `stopAfter` matches a URL just fetched. Returns that response and its URL.
   */
  async navigate(
    start: string | URL,
    init: RequestInit = {},
    stopAfter: (url: URL) => boolean = () => false,
  ): Promise<{ response: Response; url: URL }> {
    let url = new URL(start);
    let request = init;
    for (let hops = 0; hops < 20; hops++) {
      const response = await this.fetch(url, request);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location || stopAfter(url)) return { response, url };
      await response.body?.cancel();
      url = new URL(location, url);
      request = {};
    }
    throw new Error(`too many redirects from ${start}`);
  }
}

/**
 * Signs in through the development sign-in page like a person would: open /auth/login, pick the
 * account's button on the page, and follow redirects to the app's callback. Returns the
 * callback's response (a redirect to returnTo on success, an error page otherwise).
 */
export async function signInWithDevProvider(browser: HttpBrowser, appUrl: string, email: string, returnTo = '/'): Promise<Response> {
  const picker = await browser.navigate(`${appUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(picker.response.status).toBe(200);
  const page = await picker.response.text();
  expect(page).toContain('Development sign-in');
  const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1];
  if (!action) throw new Error('no sign-in form on the development sign-in page');
  expect(page).toContain(`name="account" value="${email}"`);
  const { response } = await browser.navigate(
    new URL(action, picker.url),
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ account: email }) },
    isCallback,
  );
  return response;
}

export const isCallback = (url: URL) => url.pathname === '/auth/callback';
