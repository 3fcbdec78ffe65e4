/**
 * Each person's sign-in tokens, kept sealed for on-behalf-of exchanges: saved at sign-in through
 * the real development provider, refreshed through it when (nearly) expired, and forgotten when it
 * refuses the refresh.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { decodeJwt } from 'jose';
import { DEV_CLIENT_ID, DEV_ISSUER } from '../../server/auth/dev-provider.ts';
import { loadTokenCipher } from '../../server/crypto/encryption-key.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { requestFrom } from './helpers.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server[Symbol.asyncDispose]();
});

/** Signs the person in through the development provider; returns their user id. */
async function signIn(email: string): Promise<{ userId: string; browser: HttpBrowser }> {
  const browser = new HttpBrowser();
  expect((await signInWithDevProvider(browser, server.url, email)).status).toBe(302);
  const user = await server.auth.authenticate(requestFrom(browser, server.url));
  if (!user) throw new Error(`${email} is not signed in`);
  return { userId: user.id, browser };
}

function row(userId: string): { tokens: string; expires_at: number | null } | null {
  return server.db.sqlite.query('SELECT tokens, expires_at FROM identity_tokens WHERE user_id = ?').get(userId) as {
    tokens: string;
    expires_at: number | null;
  } | null;
}

function expire(userId: string): void {
  server.db.sqlite.query('UPDATE identity_tokens SET expires_at = ? WHERE user_id = ?').run(Date.now() - 1000, userId);
}

describe("a person's sign-in tokens", () => {
  test('are kept sealed, bound to the person, and give an access token for Countersign itself', async () => {
    const { userId } = await signIn('uma@countersign.dev');
    const stored = row(userId);
    expect(stored).not.toBeNull();
    expect(stored!.expires_at).toBeGreaterThan(Date.now());

    // What the row holds opens only with the server's key and this person's context, and holds both tokens...
    const cipher = loadTokenCipher({ key: undefined, oldKeys: [], dataDir: server.config.dataDir });
    const opened = JSON.parse(cipher.open(stored!.tokens, `identity-tokens:${userId}`)) as { accessToken: string; refreshToken: string };
    expect(opened.refreshToken).toEqual(expect.any(String));
    expect(() => cipher.open(stored!.tokens, 'identity-tokens:someone-else')).toThrow(/does not open/);
    // ...neither of them in plain text.
    for (const token of [opened.accessToken, opened.refreshToken, ...opened.accessToken.split('.')]) {
      expect(stored!.tokens).not.toContain(token);
    }

    const accessToken = await server.auth.identityTokens.accessToken(userId);
    expect(accessToken).toBe(opened.accessToken);
    expect(decodeJwt(accessToken!)).toMatchObject({ iss: DEV_ISSUER, aud: DEV_CLIENT_ID, sub: 'uma@countersign.dev' });
  });

  test('an expired access token is refreshed through the provider, once for concurrent callers, and the new tokens saved', async () => {
    const { userId } = await signIn('ulf@countersign.dev');
    const before = await server.auth.identityTokens.accessToken(userId);
    expire(userId);

    // Two refreshes would give two different tokens: concurrent callers share one.
    const [first, second] = await Promise.all([
      server.auth.identityTokens.accessToken(userId),
      server.auth.identityTokens.accessToken(userId),
    ]);
    expect(first).toEqual(expect.any(String));
    expect(first).not.toBe(before);
    expect(second).toBe(first);
    expect(decodeJwt(first!)).toMatchObject({ aud: DEV_CLIENT_ID, sub: 'ulf@countersign.dev' });
    expect(row(userId)!.expires_at).toBeGreaterThan(Date.now());
    // Saved: the next caller gets the refreshed token without another refresh.
    expect(await server.auth.identityTokens.accessToken(userId)).toBe(first);
  });

  test('a refresh the provider refuses forgets the tokens', async () => {
    const { userId } = await signIn('ada@countersign.dev');
    await server.auth.identityTokens.save(userId, {
      accessToken: 'expired-access-token',
      refreshToken: 'a-refresh-token-the-provider-never-issued',
      expiresAt: new Date(Date.now() - 1000),
    });

    expect(await server.auth.identityTokens.accessToken(userId)).toBeUndefined();
    expect(row(userId)).toBeNull();
  });

  test('signing out keeps them (running chats still act for the person); deleting the person removes them', async () => {
    const { userId, browser } = await signIn('uma@countersign.dev');
    await server.auth.logout(requestFrom(browser, server.url));
    expect(await server.auth.identityTokens.accessToken(userId)).toEqual(expect.any(String));

    server.db.sqlite.query('DELETE FROM users WHERE id = ?').run(userId);
    expect(row(userId)).toBeNull();
    expect(await server.auth.identityTokens.accessToken(userId)).toBeUndefined();
  });
});
