/**
 * The production sign-in path (discovery, Arctic's token exchange, jose verification) against a
 * small test provider that returns deliberately defective id_tokens.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { HttpBrowser, isCallback } from '../support/http-browser.ts';
import { startFakeOidcProvider, type Defect, type FakeOidcProvider } from './fake-oidc-provider.ts';
import { SESSION_COOKIE, sessionRows } from './helpers.ts';

const CLIENT = { clientId: 'countersign-test', clientSecret: 'test-secret' };

async function signIn(server: TestServer): Promise<{ response: Response; browser: HttpBrowser }> {
  const browser = new HttpBrowser();
  const { response } = await browser.navigate(`${server.url}/auth/login?returnTo=%2Fchats`, {}, isCallback);
  return { response, browser };
}

function userRows(server: TestServer) {
  return server.db.sqlite.query('SELECT issuer, subject, tenant_id AS tenantId, email, name FROM users').all();
}

describe('an Entra-style single-tenant provider (ENTRA_TENANT_ID with OIDC_AUTHORITY)', () => {
  let provider: FakeOidcProvider;
  let server: TestServer;
  beforeAll(async () => {
    provider = await startFakeOidcProvider({ ...CLIENT, tenant: 'tenant-a' });
    server = await startTestServer({
      OIDC_AUTHORITY: provider.url,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      ENTRA_TENANT_ID: 'tenant-a',
    });
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
    await provider[Symbol.asyncDispose]();
  });

  const refusals: [Defect, 400 | 403, string][] = [
    ['no-nonce', 400, 'The id_token carries no nonce'],
    ['wrong-nonce', 400, 'The id_token nonce does not match'],
    ['wrong-audience', 400, 'issued to another application'],
    ['wrong-issuer', 400, 'not by the configured provider'],
    ['expired', 400, 'The id_token has expired'],
    ['other-key', 400, 'published keys'],
    ['other-tenant', 403, 'Tenant tenant-b is not on this server'],
    ['access-denied', 400, 'access_denied (The user declined.)'],
  ];
  for (const [defect, status, reason] of refusals) {
    test(`${defect}: refused with ${status}, a page saying why, and no session`, async () => {
      provider.defect = defect;
      const { response, browser } = await signIn(server);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain(reason);
      expect(response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
      expect(browser.cookies.has('countersign_sign_in')).toBe(false);
      expect(sessionRows(server)).toBe(0);
    });
  }

  test('a sound id_token signs in; the user is keyed by issuer and Entra object id (oid)', async () => {
    provider.defect = 'none';
    const { response, browser } = await signIn(server);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/chats');
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(true);
    expect(sessionRows(server)).toBe(1);
    expect(userRows(server)).toEqual([
      { issuer: provider.url, subject: 'oid-pat', tenantId: 'tenant-a', email: 'pat@contoso.test', name: 'Pat Example' },
    ]);
  });
});

describe('a multi-tenant provider whose discovery issuer holds {tenantid}', () => {
  test('listed tenants sign in with their own issuer; unlisted tenants are refused', async () => {
    await using provider = await startFakeOidcProvider({ ...CLIENT, tenant: 'tenant-c', multiTenant: true });
    await using server = await startTestServer({
      OIDC_AUTHORITY: provider.url,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      ENTRA_ALLOWED_TENANTS: 'tenant-a,tenant-c',
    });
    const accepted = await signIn(server);
    expect(accepted.response.status).toBe(302);
    expect(userRows(server)).toEqual([
      { issuer: `${provider.url}/tenant-c/v2.0`, subject: 'sub-pat', tenantId: 'tenant-c', email: 'pat@contoso.test', name: 'Pat Example' },
    ]);

    provider.defect = 'other-tenant';
    const refused = await signIn(server);
    expect(refused.response.status).toBe(403);
    expect(sessionRows(server)).toBe(1);
  });
});

describe('in production', () => {
  test('the session cookie is Secure and __Host- prefixed (no subdomain can plant or shadow it)', async () => {
    await using provider = await startFakeOidcProvider({ ...CLIENT, tenant: 'tenant-a' });
    await using server = await startTestServer({
      NODE_ENV: 'production',
      OIDC_AUTHORITY: provider.url,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      ENTRA_TENANT_ID: 'tenant-a',
    });
    const { response } = await signIn(server);
    expect(response.status).toBe(302);
    const session = response.headers.getSetCookie().find((c) => c.startsWith('__Host-countersign_session='));
    expect(session?.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=34560000', 'Path=/', 'SameSite=Lax', 'Secure']);
  });
});
