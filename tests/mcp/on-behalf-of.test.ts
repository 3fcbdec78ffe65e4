/**
 * The on-behalf-of exchange against the development provider: a person signs in to Countersign,
 * and their sign-in access token is exchanged for a token to an MCP server's API, as Entra ID does
 * for servers protected by the same tenant. The provider runs on its own (as `npm run dev-oidc`
 * does) so the test knows Countersign's client secret, as the MCP layer does from its settings.
 */
import { afterAll, beforeAll, describe, expect, setSystemTime, test } from 'bun:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEV_CLIENT_ID, DEV_ISSUER, type DevProvider, startDevProvider } from '../../server/auth/dev-provider.ts';
import { CALLBACK_PATH } from '../../server/auth/setup.ts';
import { createLogger } from '../../server/log.ts';
import { exchangeOnBehalfOf, type OnBehalfOfRequest } from '../../server/mcp/oauth/on-behalf-of.ts';
import { requestFrom } from '../auth/helpers.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const CLIENT_SECRET = 'on-behalf-of-test-client-secret';
const MCP_API = 'api://mcp-fixture';

let provider: DevProvider;
let server: TestServer;
let discovery: { token_endpoint: string; jwks_uri: string };

beforeAll(async () => {
  provider = await startDevProvider({ env: 'test', port: 0, accounts: undefined, clientSecret: CLIENT_SECRET, log: createLogger('error') });
  server = await startTestServer({ OIDC_AUTHORITY: provider.authority, OIDC_CLIENT_ID: DEV_CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET });
  provider.registerClient(`${server.url}${CALLBACK_PATH}`);
  discovery = (await (await fetch(`${provider.authority}/.well-known/openid-configuration`)).json()) as typeof discovery;
});
afterAll(async () => {
  await server[Symbol.asyncDispose]();
  await provider.stop();
});

/** Signs Uma in to Countersign; returns her sign-in access token, as identity tokens keep it. */
async function umasAccessToken(): Promise<string> {
  const browser = new HttpBrowser();
  await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');
  const user = await server.auth.authenticate(requestFrom(browser, server.url));
  const token = await server.auth.identityTokens.accessToken(user!.id);
  if (!token) throw new Error('no sign-in access token kept for Uma');
  return token;
}

function exchange(assertion: string, scope = `${MCP_API}/.default`) {
  const request: OnBehalfOfRequest = {
    tokenEndpoint: discovery.token_endpoint,
    clientId: DEV_CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    assertion,
    scope,
  };
  return exchangeOnBehalfOf(request);
}

describe('the on-behalf-of exchange at the development provider', () => {
  test("a person's sign-in access token becomes a token for the MCP server's API, for the same person", async () => {
    const result = await exchange(await umasAccessToken());

    // What the MCP server checks: signed by the provider (its published keys), for its API, naming the person.
    const { payload } = await jwtVerify(result.accessToken, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: DEV_ISSUER,
      audience: MCP_API,
    });
    expect(payload).toMatchObject({ aud: MCP_API, sub: 'uma@countersign.dev', client_id: DEV_CLIENT_ID });
    expect(result.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(result.scope).toBe(`${MCP_API}/.default`);
  });

  test('a tampered assertion is refused as invalid_grant', async () => {
    const [header, claims] = (await umasAccessToken()).split('.');
    const forged = `${header}.${claims}.${Buffer.from('not the provider signature').toString('base64url')}`;
    await expect(exchange(forged)).rejects.toThrow(/^the authorisation server refused: invalid_grant \(.*signature/);
  });

  test("a token for another API (here the MCP server's) is not an assertion for Countersign", async () => {
    const forTheServer = await exchange(await umasAccessToken());
    await expect(exchange(forTheServer.accessToken)).rejects.toThrow(/^the authorisation server refused: invalid_grant \(.*"aud"/);
  });

  test('an expired assertion is refused as invalid_grant', async () => {
    const assertion = await umasAccessToken();
    // The provider runs in this process: an hour on, the ten-minute token has expired.
    setSystemTime(new Date(Date.now() + 60 * 60_000));
    try {
      await expect(exchange(assertion)).rejects.toThrow(/^the authorisation server refused: invalid_grant \(.*"exp"/);
    } finally {
      setSystemTime();
    }
  });

  test('a scope naming an API the provider does not know is refused as invalid_scope', async () => {
    await expect(exchange(await umasAccessToken(), 'api://unknown-server/.default')).rejects.toThrow(
      /^the authorisation server refused: invalid_scope \(no API known here for api:\/\/unknown-server\)/,
    );
  });
});

/**
 * An MCP server of the same tenant: it accepts only JWTs the provider signed for its API, as an
 * Entra-protected API validates tokens, and answers `whoami` with the token's subject.
 */
function startTenantServer() {
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const audiences: unknown[] = [];
  const bun = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
      const verified = token ? await jwtVerify(token, jwks, { issuer: DEV_ISSUER, audience: MCP_API }).catch(() => undefined) : undefined;
      if (!verified) return new Response('unauthorised', { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
      audiences.push(verified.payload.aud);
      const mcp = new McpServer({ name: 'tenant-api', version: '1.0.0' });
      mcp.registerTool('whoami', { description: 'Who the token names' }, () => ({
        content: [{ type: 'text', text: String(verified.payload.sub) }],
      }));
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await mcp.connect(transport);
      return transport.handleRequest(request);
    },
  });
  return { url: `http://127.0.0.1:${bun.port}/mcp`, audiences, stop: () => bun.stop(true) };
}

describe('a server in on-behalf-of mode', () => {
  test("a person's connection carries a token exchanged from their own sign-in, which is never stored", async () => {
    const tenant = startTenantServer();
    try {
      const entry = await server.catalogue.create({
        name: 'Tenant API',
        transport: 'streamable-http',
        url: tenant.url,
        authMode: 'on-behalf-of',
        oauthScopes: `${MCP_API}/.default`,
      });
      await umasAccessToken();
      const uma = (server.db.sqlite.query("SELECT id FROM users WHERE email = 'uma@countersign.dev'").get() as { id: string }).id;
      const handler = server.mcpHandlers.forUser(uma);

      expect(await handler.connect(entry.id)).toMatchObject({ status: 'connected' });
      const { tools } = await handler.listTools();
      const whoami = tools.find((tool) => tool.serverId === entry.id && tool.name === 'whoami')!;
      expect(await handler.callTool(whoami.uniqueName, {})).toMatchObject({ ok: true, text: 'uma@countersign.dev' });
      expect(new Set(tenant.audiences)).toEqual(new Set([MCP_API]));
      // Exchanged tokens live in memory only: nothing of them in the database.
      expect(server.db.sqlite.query('SELECT count(*) AS n FROM mcp_authorisations').get()).toEqual({ n: 0 });

      // Someone whose sign-in tokens are gone (refused at refresh, or signed in before they were kept) is asked to sign in again.
      const browser = new HttpBrowser();
      await signInWithDevProvider(browser, server.url, 'ulf@countersign.dev');
      const ulf = (await server.auth.authenticate(requestFrom(browser, server.url)))!.id;
      await server.auth.identityTokens.forget(ulf);
      expect(await server.mcpHandlers.forUser(ulf).connect(entry.id)).toMatchObject({
        status: 'needs_sign_in',
        error: 'Tenant API needs you to sign in to Countersign again',
      });
    } finally {
      await tenant.stop();
    }
  });
});
