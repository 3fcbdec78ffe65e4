/**
 * How the server serves the web chat, over plain HTTP: the page only with a session, assets
 * cached for good, nothing outside the build reachable, and the SPA fallback never answering
 * for the API's own paths.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { WEB_BUILD_DIR } from '../../server/web/static-files.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const signedIn = new HttpBrowser();
const html = { accept: 'text/html,application/xhtml+xml' };

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  await signInWithDevProvider(signedIn, server.url, 'uma@countersign.dev');
}, 60_000);
afterAll(() => server?.[Symbol.asyncDispose]());

describe('the web chat page', () => {
  test('signed out, any page of the app sends the browser to sign-in and back to that page', async () => {
    for (const path of ['/', '/c/4f1c9a52-0000-4000-8000-000000000000']) {
      const response = await fetch(`${server.url}${path}`, { headers: html, redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(`/auth/login?returnTo=${encodeURIComponent(path)}`);
    }
  });

  test('signed in, / and a chat URL serve the app with a CSP that allows no inline or foreign script', async () => {
    for (const path of ['/', '/c/4f1c9a52-0000-4000-8000-000000000000']) {
      const response = await signedIn.fetch(`${server.url}${path}`, { headers: html });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root"></div>');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  test('hashed assets are served to anyone and cached for good; other build files revalidate', async () => {
    const script = readdirSync(join(WEB_BUILD_DIR, 'assets')).find((name) => name.endsWith('.js'))!;
    const asset = await fetch(`${server.url}/assets/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  test('no path reaches a file outside the build', async () => {
    for (const path of [
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/%2e%2e/server/config.ts',
    ]) {
      const response = await signedIn.fetch(`${server.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('"dependencies"');
    }
  });

  test('a missing file that is not a page is a 404, not the app', async () => {
    const response = await signedIn.fetch(`${server.url}/assets/missing.js`);
    expect(response.status).toBe(404);
    expect((await signedIn.fetch(`${server.url}/robots.txt`)).status).toBe(404);
  });
});

describe('the fallback never shadows another feature', () => {
  test('GET /trpc/… is the API, answered as JSON even for a browser asking for HTML', async () => {
    const response = await signedIn.fetch(`${server.url}/trpc/auth.me`, { headers: html });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: { data: { email: string } } }).result.data.email).toBe('uma@countersign.dev');
  });

  test('/healthz, /readyz, /mcp and /auth answer for themselves', async () => {
    expect(((await (await fetch(`${server.url}/healthz`)).json()) as { status: string }).status).toBe('ok');
    expect(((await (await fetch(`${server.url}/readyz`)).json()) as { status: string }).status).toBe('ready');
    const mcp = await signedIn.fetch(`${server.url}/mcp`, { headers: html });
    expect(await mcp.text()).not.toContain('<div id="root">');
    const login = await fetch(`${server.url}/auth/login`, { headers: html, redirect: 'manual' });
    expect(login.headers.get('location')).not.toContain('/auth/login?returnTo');
  });

  test('paths other features own get a 404 from the fallback rather than the chat page', async () => {
    for (const path of ['/graphql/nope', '/auth/nope', '/trpc', '/admin/nope', '/readyz/nope', '/files/nope/nope']) {
      const response = await signedIn.fetch(`${server.url}${path}`, { headers: html });
      expect(await response.text()).not.toContain('<div id="root">');
    }
  });
});
