/**
 * `NODE_ENV=production npm start`, as the README tells an operator to run it: in a copy of this
 * checkout (so the production install prunes the copy's node_modules, never this one's), with
 * a complete production configuration and an OpenID provider running as a process of its own.
 * The start installs, builds the web chat and the admin console, and serves them; a person can
 * sign in; SIGTERM stops it cleanly.
 */
import { afterAll, expect, test } from 'bun:test';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { eventually } from '../support/eventually.ts';
import { startOidcProviderProcess } from '../fixtures/oidc-provider-process.ts';
import { freePort } from '../support/ports.ts';
import { tempDir } from '../support/test-server.ts';

const REPO = join(import.meta.dir, '..', '..');
/** An install and two Vite builds on a loaded 2-core machine. */
const START_TIMEOUT_MS = 240_000;
const cleanUp: string[] = [];
afterAll(() => {
  for (const path of cleanUp) rmSync(path, { recursive: true, force: true });
});

/**
 * The files git would ship (tracked, and new ones not ignored), copied; node_modules
 * hard-linked, which is fast, and safe because npm removes packages by unlinking. npm rewrites
 * its own record of node_modules in place, so that file is a real copy, and tool caches stay out.
 */
function copyCheckout(): string {
  const copy = tempDir('countersign-checkout-');
  cleanUp.push(copy);
  const listed = Bun.spawnSync(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO });
  if (listed.exitCode !== 0) throw new Error(`git ls-files failed: ${listed.stderr.toString()}`);
  for (const path of new Set(listed.stdout.toString().split('\0').filter(Boolean))) {
    if (!existsSync(join(REPO, path))) continue; // deleted in the working tree
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    copyFileSync(join(REPO, path), join(copy, path));
  }
  const linked = Bun.spawnSync(['cp', '-al', join(REPO, 'node_modules'), join(copy, 'node_modules')]);
  if (linked.exitCode !== 0) throw new Error(`linking node_modules failed: ${linked.stderr.toString()}`);
  const record = join(copy, 'node_modules', '.package-lock.json');
  rmSync(record);
  copyFileSync(join(REPO, 'node_modules', '.package-lock.json'), record);
  for (const cache of ['.vite', '.vite-temp', '.vitest-cache']) rmSync(join(copy, 'node_modules', cache), { recursive: true, force: true });
  return copy;
}

/** The shell an operator would have: Node and npm, but no project's node_modules/.bin. */
function operatorPath(): string {
  return (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => dir && !dir.includes('node_modules'))
    .join(':');
}

test(
  'NODE_ENV=production npm start installs, builds and serves; sign-in goes to the configured provider; SIGTERM stops it cleanly',
  async () => {
    const port = freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    await using provider = await startOidcProviderProcess(publicUrl);
    const checkout = copyCheckout();
    const dataDir = tempDir('countersign-production-data-');
    cleanUp.push(dataDir);

    const npm = Bun.spawn(['npm', 'start'], {
      cwd: checkout,
      env: {
        PATH: operatorPath(),
        HOME: process.env.HOME ?? checkout,
        NODE_ENV: 'production',
        OIDC_AUTHORITY: provider.authority,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        PUBLIC_URL: publicUrl,
        PORT: String(port),
        DATA_DIR: dataDir,
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const output = Promise.all([new Response(npm.stdout).text(), new Response(npm.stderr).text()]).then((parts) => parts.join('\n'));
    try {
      await eventually(
        async () => {
          if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode} before the server was ready:\n${await output}`);
          const health = await fetch(`${publicUrl}/readyz`).catch(() => undefined);
          return health?.status === 200 && (await health.json());
        },
        'a server ready for work',
        START_TIMEOUT_MS,
      ).then((health) => expect(health).toMatchObject({ status: 'ready', checks: { database: { ok: true }, draining: { ok: true } } }));

      const browser = new HttpBrowser();
      const login = await browser.fetch(`${publicUrl}/auth/login`);
      expect(login.status).toBe(302);
      const providerPage = new URL(login.headers.get('location')!);
      expect(providerPage.origin).toBe(provider.authority);
      expect(providerPage.searchParams.get('client_id')).toBe(provider.clientId);
      expect(providerPage.searchParams.get('redirect_uri')).toBe(`${publicUrl}/auth/callback`);

      const back = await signInWithDevProvider(browser, publicUrl, 'uma@countersign.dev');
      expect(back.status).toBe(302);
      // Production cookies are Secure, so the session cookie takes the __Host- prefix.
      expect(browser.cookies.has('__Host-countersign_session')).toBe(true);
      const chat = await browser.fetch(`${publicUrl}/`, { headers: { accept: 'text/html' } });
      expect(chat.status).toBe(200);
      // The built page, whose script Vite bundled into /assets.
      expect(await chat.text()).toMatch(/<script type="module"[^>]* src="\/assets\//);
    } finally {
      npm.kill('SIGTERM');
    }
    expect(await npm.exited).toBe(0);
    expect(await output).toContain('"msg":"stopped"');
  },
  START_TIMEOUT_MS + 60_000,
);
