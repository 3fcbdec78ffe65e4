/**
 * The azure-ad provider against a real OpenID provider (oidc-provider on 127.0.0.1, see
 * tests/fixtures/client-credentials-provider.ts): a client-credentials token from the token
 * endpoint found by OpenID discovery, cached and refreshed before expiry, sent as the bearer of
 * each LLM request, which the fixture verifies against the provider's JWKS (its discovered
 * jwks_uri), issuer and the API's audience.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ClientCredentialsTokens } from '../../server/llm/client-credentials.ts';
import { resolveLlmEndpoint } from '../../server/llm/endpoint.ts';
import { loadConfig } from '../../server/config.ts';
import { startClientCredentialsProvider, type ClientCredentialsProvider } from '../fixtures/client-credentials-provider.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { collector, createChat, createHarness, USER_ID } from './support.ts';

const AUDIENCE = 'api://countersign-llm';
/** Entra ID's v2 form, which the app sends as `scope` (and nothing else naming the API). */
const SCOPE = `${AUDIENCE}/.default`;
const CLIENT_ID = 'countersign';
const CLIENT_SECRET = 'client-secret-for-tests';

let provider: ClientCredentialsProvider;
let discovery: { issuer: string; token_endpoint: string; jwks_uri: string };
let fixture: OpenAIFixture;

// One provider for the file (each test makes its own token cache); the LLM fixture per test.
beforeAll(async () => {
  provider = await startClientCredentialsProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, audience: AUDIENCE });
  discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as typeof discovery;
});

afterAll(async () => {
  await provider.stop();
});

beforeEach(() => {
  provider.reset();
  fixture = startOpenAIFixture({ jwksUrl: discovery.jwks_uri, issuer: discovery.issuer, audience: AUDIENCE });
});

afterEach(async () => {
  await fixture.stop();
});

function azureConfig(secret = CLIENT_SECRET) {
  return loadConfig({
    NODE_ENV: 'test',
    OIDC_AUTHORITY: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: secret,
    LLM_PROVIDER: 'azure-ad',
    LLM_BASE_URL: fixture.baseURL,
    LLM_MODEL: 'gpt-4.1',
    LLM_TOKEN_SCOPE: SCOPE,
  });
}

describe('azure-ad provider', () => {
  test('each request carries a bearer token verified against the provider; the token is fetched once and reused', async () => {
    const h = createHarness({ endpoint: resolveLlmEndpoint(azureConfig()) });
    const { threadId } = createChat(h.db);
    const handler = h.manager.get(USER_ID);

    expect(await handler.send(threadId, 'one', collector())).toEqual({ status: 'idle' });
    expect(await handler.send(threadId, 'two', collector())).toEqual({ status: 'idle' });

    // Both requests passed the fixture's check (signature from the discovered JWKS, issuer, audience).
    expect(fixture.refused).toEqual([]);
    expect(fixture.requests).toHaveLength(2);
    const bearers = new Set(fixture.requests.map((r) => r.authorization));
    expect(bearers.size).toBe(1);
    expect(provider.tokenRequests).toEqual([{ status: 200 }]);

    // The token is oidc-provider's JWT access token for the API, issued to the app's client.
    const token = [...bearers][0]!.replace(/^Bearer /, '');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({ iss: provider.issuer, aud: AUDIENCE, client_id: CLIENT_ID, scope: SCOPE });
    expect(discovery.token_endpoint).toBe(`${provider.issuer}/token`);
    h.db.close();
  });

  test('a refused client secret fails the run with the token error, and no LLM request is made', async () => {
    const h = createHarness({ endpoint: resolveLlmEndpoint(azureConfig('wrong')) });
    const { threadId } = createChat(h.db);

    const state = await h.manager.get(USER_ID).send(threadId, 'hi', collector());

    expect(state).toEqual({ status: 'failed', reason: expect.stringContaining('invalid_client: client authentication failed') });
    expect(state.status === 'failed' && state.reason).toMatch(/could not get an access token/);
    expect(provider.tokenRequests).toEqual([{ status: 401 }]);
    expect(fixture.requests).toHaveLength(0);
    expect(fixture.refused).toHaveLength(0);
    h.db.close();
  });

  test('without a token scope the provider refuses to start, naming the setting', () => {
    const config = azureConfig();
    config.llm.tokenScope = undefined;
    expect(() => resolveLlmEndpoint(config)).toThrow(/LLM_TOKEN_SCOPE/);
  });
});

describe('client-credentials tokens', () => {
  test('refreshed before expiry, and concurrent callers share one request', async () => {
    provider.accessTokenTTL = 600;
    let now = Date.now();
    const tokens = new ClientCredentialsTokens({
      authority: provider.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scope: SCOPE,
      now: () => now,
    });

    const [a, b, c] = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(provider.tokenRequests).toHaveLength(1);
    const claims = decodeJwt(a!);
    expect(claims.exp! - claims.iat!).toBe(600);

    now += 200_000; // well inside the lifetime: cached
    expect(await tokens.token()).toBe(a!);
    now += 150_000; // 350 s of 600: past the halfway refresh point for short-lived tokens
    const refreshed = await tokens.token();
    expect(refreshed).not.toBe(a!);
    expect(decodeJwt(refreshed).jti).not.toBe(claims.jti);
    expect(provider.tokenRequests).toEqual([{ status: 200 }, { status: 200 }]);
  });

  test('a failed discovery is reported with its status', async () => {
    const tokens = new ClientCredentialsTokens({
      authority: `${provider.issuer}/missing`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scope: SCOPE,
    });
    await expect(tokens.token()).rejects.toThrow(/OpenID discovery failed \(HTTP 404\)/);
    expect(provider.tokenRequests).toHaveLength(0);
  });

  test('a discovery document without a token endpoint is reported as such', async () => {
    // A real provider always names its token endpoint, so this one case uses a bare document.
    await using server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => Response.json({ issuer: 'http://127.0.0.1' }) });
    const tokens = new ClientCredentialsTokens({
      authority: `http://127.0.0.1:${server.port}`,
      clientId: 'x',
      clientSecret: 'y',
      scope: SCOPE,
    });
    await expect(tokens.token()).rejects.toThrow(/names no token_endpoint/);
  });
});
