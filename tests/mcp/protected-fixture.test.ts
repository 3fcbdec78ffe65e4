/**
 * The OAuth test fixtures (tests/support/oauth-authorization-server.ts and
 * protected-mcp-server.ts) work with the MCP client SDK alone, before any of Countersign's code
 * relies on them: a person signs in through the authorisation server, their calls carry their own
 * token, an expired token is refreshed, and a revoked grant needs a new sign-in.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import {
  type CallToolResult,
  Client,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { startAuthorizationServer } from '../support/oauth-authorization-server.ts';
import { startProtectedMcpServer } from '../support/protected-mcp-server.ts';
import { refreshingOnce } from '../../server/mcp/oauth/refresh-once.ts';

const UMA = 'uma@example.test';
const ULF = 'ulf@example.test';
/** Never fetched: authorize() returns the URL the browser would go to. */
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const CLIENT = { name: 'protected-fixture-test', version: '1.0.0' };

const authorizationServer = await startAuthorizationServer();
const mcp = await startProtectedMcpServer({ authorizationServer });
afterAll(async () => {
  await mcp.stop();
  await authorizationServer.stop();
});

/** One person's OAuth state, in memory, as the SDK asks an application to keep it. */
class MemoryOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  #client: StoredOAuthClientInformation | undefined;
  #tokens: StoredOAuthTokens | undefined;
  #codeVerifier: string | undefined;
  #discovery: OAuthDiscoveryState | undefined;

  constructor(client?: StoredOAuthClientInformation) {
    this.#client = client;
  }
  get redirectUrl(): string {
    return REDIRECT_URI;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: CLIENT.name,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.#client;
  }
  saveClientInformation(client: StoredOAuthClientInformation) {
    this.#client = client;
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.#tokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(codeVerifier: string) {
    this.#codeVerifier = codeVerifier;
  }
  codeVerifier() {
    if (!this.#codeVerifier) throw new Error('no sign-in was started');
    return this.#codeVerifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.#discovery = state;
  }
  discoveryState() {
    return this.#discovery;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'client') this.#client = undefined;
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this.#codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.#discovery = undefined;
  }
  /** The access token the client sends now. */
  get accessToken(): string {
    if (!this.#tokens) throw new Error('not signed in');
    return this.#tokens.access_token;
  }
}

/**
 * The SDK client alone refreshes an expired token twice at once (its event stream and the request
 * both get 401), and the authorisation server, which rotates refresh tokens, then revokes the grant;
 * Countersign sends a refresh once (server/mcp/oauth/refresh-once.ts), and so does this client.
 */
function transport(url: string, provider: MemoryOAuthProvider): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: refreshingOnce(fetch) });
}

/** The whole first sign-in: refused, signed in at the authorisation server, then connected. */
async function signIn(email: string, url = mcp.url, provider = new MemoryOAuthProvider()) {
  const refused = transport(url, provider);
  await expect(new Client(CLIENT).connect(refused)).rejects.toBeInstanceOf(UnauthorizedError);
  if (!provider.authorizationUrl) throw new Error('the client was not sent to sign in');
  const callback = new URL(await authorizationServer.authorize(provider.authorizationUrl, email));
  await refused.finishAuth(callback.searchParams);
  const client = new Client(CLIENT);
  await client.connect(transport(url, provider));
  return { client, provider };
}

async function whoami(client: Client): Promise<string> {
  return textOf(await client.callTool({ name: 'whoami', arguments: {} }));
}

function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('protected MCP server and its authorisation server', () => {
  test('serve RFC 8414 metadata, the same as OpenID discovery, for PKCE S256 and refresh tokens', async () => {
    const oauth = await (await fetch(`${authorizationServer.issuer}/.well-known/oauth-authorization-server`)).json();
    const openid = await (await fetch(`${authorizationServer.issuer}/.well-known/openid-configuration`)).json();
    expect(oauth).toEqual(openid);
    expect(oauth).toMatchObject({
      issuer: authorizationServer.issuer,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(oauth.scopes_supported).toContain('offline_access');
    expect(oauth.grant_types_supported).toContain('refresh_token');
    for (const endpoint of ['registration_endpoint', 'introspection_endpoint', 'revocation_endpoint'])
      expect(oauth).toHaveProperty(endpoint);
  });

  test('refuse a client until its person signs in, then answer with that person as the subject', async () => {
    const { client, provider } = await signIn(UMA);
    expect(await whoami(client)).toBe(`${UMA} with scopes mcp:tools`);
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } }))).toBe('5');
    expect(mcp.seen.at(-1)).toEqual({ subject: UMA, accessToken: provider.accessToken });
    await client.close();
  });

  test("carry each person's own token", async () => {
    const uma = await signIn(UMA);
    const ulf = await signIn(ULF);
    expect(await whoami(ulf.client)).toStartWith(`${ULF} `);
    expect(await whoami(uma.client)).toStartWith(`${UMA} `);
    expect(mcp.seen.slice(-2)).toEqual([
      { subject: ULF, accessToken: ulf.provider.accessToken },
      { subject: UMA, accessToken: uma.provider.accessToken },
    ]);
    expect(uma.provider.accessToken).not.toBe(ulf.provider.accessToken);
    await Promise.all([uma.client.close(), ulf.client.close()]);
  });

  test('refuse an expired token as expired, and the client refreshes it', async () => {
    const { client, provider } = await signIn(UMA);
    const expired = provider.accessToken;
    mcp.expire(expired);
    const refused = await fetch(mcp.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${expired}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toStartWith(
      'Bearer error="invalid_token", error_description="The access token expired"',
    );
    expect(refused.headers.get('www-authenticate')).toContain(
      `resource_metadata="${new URL(mcp.url).origin}/.well-known/oauth-protected-resource/mcp"`,
    );

    expect(await whoami(client)).toStartWith(`${UMA} `);
    expect(provider.accessToken).not.toBe(expired);
    expect(mcp.seen.at(-1)).toEqual({ subject: UMA, accessToken: provider.accessToken });
    await client.close();
  });

  test('after a revocation at the authorisation server, ask for a new sign-in, which then works', async () => {
    const uma = await signIn(UMA);
    const ulf = await signIn(ULF);
    uma.provider.authorizationUrl = undefined;
    await authorizationServer.revokeGrantsOf(UMA);
    await expect(whoami(uma.client)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(uma.provider.authorizationUrl).toBeDefined();
    expect(await whoami(ulf.client)).toStartWith(`${ULF} `);

    const again = await signIn(UMA, mcp.url, uma.provider);
    expect(await whoami(again.client)).toStartWith(`${UMA} `);
    await Promise.all([uma.client.close(), ulf.client.close(), again.client.close()]);
  });

  test('sign in a pre-registered confidential client with its secret', async () => {
    const registered = { client_id: 'admin-entered', client_secret: 'admin-entered-secret' };
    const server = await startAuthorizationServer({
      confidentialClient: { clientId: registered.client_id, clientSecret: registered.client_secret, redirectUris: [REDIRECT_URI] },
    });
    const protectedServer = await startProtectedMcpServer({ authorizationServer: server });
    try {
      // Stamped with its issuer, as the SDK keeps client credentials apart per authorisation server.
      const provider = new MemoryOAuthProvider({ ...registered, issuer: server.issuer });
      const refused = transport(protectedServer.url, provider);
      await expect(new Client(CLIENT).connect(refused)).rejects.toBeInstanceOf(UnauthorizedError);
      const callback = new URL(await server.authorize(provider.authorizationUrl ?? '', ULF));
      await refused.finishAuth(callback.searchParams);
      const client = new Client(CLIENT);
      await client.connect(transport(protectedServer.url, provider));
      expect(await whoami(client)).toStartWith(`${ULF} `);
      expect(provider.clientInformation()?.client_id).toBe(registered.client_id);
      await client.close();
    } finally {
      await protectedServer.stop();
      await server.stop();
    }
  });
});
