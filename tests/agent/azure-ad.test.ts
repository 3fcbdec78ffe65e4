/**
 * The azure-ad provider: a client-credentials token from the tenant's token endpoint (found by
 * OpenID discovery), cached and refreshed before expiry, sent as the bearer of each LLM request,
 * which the fixture verifies against the authority's JWKS.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ClientCredentialsTokens } from '../../server/llm/client-credentials.ts';
import { resolveLlmEndpoint } from '../../server/llm/endpoint.ts';
import { loadConfig } from '../../server/config.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { collector, createChat, createHarness, USER_ID } from './support.ts';

const AUDIENCE = 'api://countersign-llm';
const SCOPE = `${AUDIENCE}/.default`;

interface FakeAuthority {
  url: string;
  tokenRequests: URLSearchParams[];
  /** Lifetime of the tokens it issues. */
  expiresIn: number;
  stop(): Promise<void>;
}

/** A minimal Entra-like authority: discovery, a client-credentials token endpoint, and its JWKS. */
async function startAuthority(): Promise<FakeAuthority> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const authority: FakeAuthority = { url: '', tokenRequests: [], expiresIn: 3600, stop: async () => server.stop(true) };
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname === '/tenant/v2.0/.well-known/openid-configuration') {
        return Response.json({ issuer: authority.url, token_endpoint: `${authority.url}/token`, jwks_uri: `${authority.url}/keys` });
      }
      if (pathname === '/tenant/v2.0/keys') return Response.json({ keys: [jwk] });
      if (pathname === '/tenant/v2.0/token' && request.method === 'POST') {
        const form = new URLSearchParams(await request.text());
        authority.tokenRequests.push(form);
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== 'secret' || form.get('scope') !== SCOPE) {
          return Response.json({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }, { status: 401 });
        }
        const token = await new SignJWT({ appid: form.get('client_id') })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(authority.url)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setJti(crypto.randomUUID())
          .setExpirationTime(`${authority.expiresIn}s`)
          .sign(privateKey);
        return Response.json({ token_type: 'Bearer', expires_in: authority.expiresIn, access_token: token });
      }
      return new Response('not found', { status: 404 });
    },
  });
  authority.url = `http://127.0.0.1:${server.port}/tenant/v2.0`;
  return authority;
}

let authority: FakeAuthority;
let fixture: OpenAIFixture;

beforeEach(async () => {
  authority = await startAuthority();
  fixture = startOpenAIFixture({ jwksUrl: `${authority.url}/keys`, issuer: authority.url, audience: AUDIENCE });
});

afterEach(async () => {
  await fixture.stop();
  await authority.stop();
});

function azureConfig(secret = 'secret') {
  return loadConfig({
    NODE_ENV: 'test',
    OIDC_AUTHORITY: authority.url,
    OIDC_CLIENT_ID: 'countersign',
    OIDC_CLIENT_SECRET: secret,
    LLM_PROVIDER: 'azure-ad',
    LLM_BASE_URL: fixture.baseURL,
    LLM_MODEL: 'gpt-4.1',
    LLM_TOKEN_SCOPE: SCOPE,
  });
}

describe('azure-ad provider', () => {
  test('each request carries a verified bearer token; the token is fetched once and reused', async () => {
    const h = createHarness({ endpoint: resolveLlmEndpoint(azureConfig(), () => 'http://unused') });
    const { threadId } = createChat(h.db);
    const handler = h.manager.get(USER_ID);

    expect(await handler.send(threadId, 'one', collector())).toEqual({ status: 'idle' });
    expect(await handler.send(threadId, 'two', collector())).toEqual({ status: 'idle' });

    expect(fixture.requests).toHaveLength(2);
    expect(fixture.requests.every((r) => r.authorization?.startsWith('Bearer ey'))).toBe(true);
    expect(authority.tokenRequests).toHaveLength(1);
    expect(authority.tokenRequests[0]!.get('client_id')).toBe('countersign');
    h.db.close();
  });

  test('a refused client secret fails the run with the token error, and no LLM request is made', async () => {
    const h = createHarness({ endpoint: resolveLlmEndpoint(azureConfig('wrong'), () => 'http://unused') });
    const { threadId } = createChat(h.db);

    const state = await h.manager.get(USER_ID).send(threadId, 'hi', collector());

    expect(state).toEqual({ status: 'failed', reason: expect.stringContaining('AADSTS7000215') });
    expect(state.status === 'failed' && state.reason).toMatch(/could not get an access token/);
    expect(fixture.requests).toHaveLength(0);
    h.db.close();
  });

  test('without a token scope the provider refuses to start, naming the setting', () => {
    const config = azureConfig();
    config.llm.tokenScope = undefined;
    expect(() => resolveLlmEndpoint(config, () => '')).toThrow(/LLM_TOKEN_SCOPE/);
  });
});

describe('client-credentials tokens', () => {
  test('refreshed before expiry, and concurrent callers share one request', async () => {
    authority.expiresIn = 600;
    let now = Date.now();
    const tokens = new ClientCredentialsTokens({ authority: authority.url, clientId: 'countersign', clientSecret: 'secret', scope: SCOPE, now: () => now });

    const [a, b, c] = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(authority.tokenRequests).toHaveLength(1);

    now += 200_000; // well inside the lifetime: cached
    expect(await tokens.token()).toBe(a!);
    now += 150_000; // 350 s of 600: past the halfway refresh point for short-lived tokens
    expect(await tokens.token()).not.toBe(a!);
    expect(authority.tokenRequests).toHaveLength(2);
  });

  test('a discovery document without a token endpoint is reported as such', async () => {
    const tokens = new ClientCredentialsTokens({ authority: `${authority.url}/missing`, clientId: 'x', clientSecret: 'y', scope: SCOPE });
    await expect(tokens.token()).rejects.toThrow(/OpenID discovery failed \(HTTP 404\)/);
  });
});
