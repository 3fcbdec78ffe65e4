/**
 * A real OAuth 2.1 authorisation server for MCP servers (oidc-provider on 127.0.0.1), for tests of
 * Countersign's MCP OAuth client, used with tests/support/protected-mcp-server.ts:
 * - discovery as RFC 8414 (`/.well-known/oauth-authorization-server`, which the MCP SDK asks for
 *   first) and as OpenID discovery, the same document;
 * - the authorization code grant with PKCE S256 only, refresh tokens for every client allowed the
 *   refresh_token grant, open dynamic client registration, and optionally one confidential client
 *   registered beforehand, as an administrator would enter it;
 * - RFC 8707 resource indicators: a token is issued for one resource server (its audience) that
 *   was added with `addResource`, with that server's scopes; tokens are opaque, so the resource
 *   server asks the introspection endpoint, which knows when a token was revoked;
 * - a plain HTML account picker (one button per account, its email as the text) shown at every
 *   sign-in, then consent given automatically for what the client asked.
 * Tokens live an hour: a test makes one expire at the resource server (`expire`), never by waiting.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors, type Grant, interactionPolicy } from 'oidc-provider';
import { escapeHtml, PAGE_HEADERS } from '../../server/auth/html.ts';
import { HttpBrowser } from './http-browser.ts';

export const DEFAULT_ACCOUNTS: readonly string[] = ['uma@example.test', 'ulf@example.test'];

export interface ConfidentialClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface AuthorizationServerOptions {
  /** Who can sign in, by email, which is also their subject. */
  accounts?: readonly string[];
  /**
   * The scopes resource servers may ask for (default `mcp:tools`): registration accepts only
   * scopes the server advertises, and the MCP SDK registers with the resource's scopes.
   */
  scopes?: readonly string[];
  /** Authenticates with client_secret_basic and may use the authorization code and refresh token grants. */
  confidentialClient?: ConfidentialClient;
}

export interface AuthorizationServer {
  /** `http://127.0.0.1:<port>`, without a path: the issuer is where the server listens. */
  readonly issuer: string;
  readonly url: string;
  readonly accounts: readonly string[];
  /** From now on, tokens may be issued for `resource` (their audience), with at most `scopes` (of the server's). */
  addResource(resource: string, scopes: readonly string[]): void;
  /**
   * Signs `email` in at `authorizationUrl` the way a browser would, without one, and returns where
   * the server then sends the browser: the client's redirect URI with `code`, `state` and `iss`.
   */
  authorize(authorizationUrl: string | URL, email: string): Promise<string>;
  /** Revokes every grant `email` gave and every token issued under them. */
  revokeGrantsOf(email: string): Promise<void>;
  stop(): Promise<void>;
}

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;
const TITLE = 'Sign in to the MCP server';
const HOUR = 60 * 60;
const DAY = 24 * HOUR;

export async function startAuthorizationServer(options: AuthorizationServerOptions = {}): Promise<AuthorizationServer> {
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  const scopes = options.scopes ?? ['mcp:tools'];
  const resources = new Map<string, string>();
  const grants = new Map<string, Grant[]>();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, await configuration(accounts, scopes, resources, options.confidentialClient));
  provider.on('server_error', (_ctx, error) => console.error('test authorisation server error', error));
  const handleOidc = provider.callback();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', issuer);
    if (pathname === '/.well-known/oauth-authorization-server') req.url = '/.well-known/openid-configuration';
    const match = INTERACTION_PATH.exec(pathname);
    if (!match) return handleOidc(req, res);
    const [, uid, choosing] = match;
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== uid) return sendPage(res, 400, '<p>This sign-in attempt has expired.</p>');
    if (req.method === 'GET' && !choosing) return sendPage(res, 200, pickerHtml(uid, accounts));
    if (req.method !== 'POST' || !choosing) return sendPage(res, 405, '<p>Pick an account on the sign-in page.</p>');
    const email = new URLSearchParams(await text(req)).get('account');
    if (!email || !accounts.includes(email)) return sendPage(res, 400, '<p>Unknown account.</p>');
    // Consent needs no page: the grant is exactly what the client asked for.
    const grant = new provider.Grant({ accountId: email, clientId: String(details.params.client_id) });
    const scope = String(details.params.scope ?? '');
    grant.addOIDCScope(scope);
    for (const resource of [details.params.resource ?? []].flat()) grant.addResourceScope(String(resource), scope);
    const grantId = await grant.save();
    grants.set(email, [...(grants.get(email) ?? []), grant]);
    await provider.interactionFinished(req, res, { login: { accountId: email }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      console.error('test authorisation server failed', error);
      if (!res.headersSent) sendPage(res, 500, '<p>The sign-in failed.</p>');
    });
  });

  return {
    issuer,
    url: issuer,
    accounts,
    addResource(resource, resourceScopes) {
      const unknown = resourceScopes.filter((scope) => !scopes.includes(scope));
      if (unknown.length) throw new Error(`the authorisation server offers no scope ${unknown.join(', ')}`);
      resources.set(resource, resourceScopes.join(' '));
    },
    async authorize(authorizationUrl, email) {
      const browser = new HttpBrowser();
      const picker = await browser.navigate(authorizationUrl);
      const uid = INTERACTION_PATH.exec(picker.url.pathname)?.[1];
      if (picker.response.status !== 200 || !uid) {
        throw new Error(`no account picker at ${picker.url}: ${picker.response.status} ${await picker.response.text()}`);
      }
      await picker.response.body?.cancel();
      // Stops at the last hop on this server, before the browser would leave for the client.
      const { response, url } = await browser.navigate(
        new URL(`/interaction/${uid}/login`, issuer),
        { method: 'POST', body: new URLSearchParams({ account: email }) },
        (at) => at.pathname === `/auth/${uid}`,
      );
      const location = response.headers.get('location');
      if (!location || new URL(location, url).origin === issuer) {
        throw new Error(`sign-in as ${email} ended at ${url} with ${response.status} ${await response.text()}`);
      }
      return new URL(location, url).href;
    },
    async revokeGrantsOf(email) {
      for (const grant of grants.get(email) ?? []) {
        await provider.RefreshToken.revokeByGrantId(grant.jti);
        // Introspection answers inactive for any token whose grant is gone.
        await grant.destroy();
      }
      grants.delete(email);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function configuration(
  accounts: readonly string[],
  scopes: readonly string[],
  resources: ReadonlyMap<string, string>,
  confidentialClient: ConfidentialClient | undefined,
): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  // The account picker at every sign-in, even when the browser is still signed in here: a test
  // signs in again after a revocation the same way as the first time.
  const policy = interactionPolicy.base();
  policy
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check('every_sign_in', 'the account is picked at every sign-in', (ctx) =>
        ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );
  return {
    clients: confidentialClient
      ? [
          {
            client_id: confidentialClient.clientId,
            client_secret: confidentialClient.clientSecret,
            redirect_uris: confidentialClient.redirectUris,
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ]
      : [],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: crypto.randomUUID(), alg: 'ES256', use: 'sig' }] },
    // The one signing key's algorithm, for clients that register without naming one.
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    cookies: { keys: [crypto.randomUUID()] },
    scopes: ['openid', 'offline_access', ...scopes],
    ttl: { AccessToken: HOUR, AuthorizationCode: 60, Grant: DAY, Interaction: HOUR, RefreshToken: DAY, Session: DAY },
    findAccount: (_ctx: unknown, sub: string) =>
      accounts.includes(sub) ? { accountId: sub, claims: () => ({ sub, email: sub, email_verified: true }) } : undefined,
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    // By default only a client that asked for offline_access gets one.
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(grant: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    // Every caller here is a server-side client: no browser origin needs CORS.
    clientBasedCORS: () => false,
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId,
      },
      // Resource servers introspect tokens issued to other clients; a public client could not keep its secret.
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod !== 'none',
      },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          const scope = resources.get(resource);
          if (scope === undefined) throw new errors.InvalidTarget();
          return { scope, audience: resource, accessTokenFormat: 'opaque' };
        },
      },
    },
  };
}

function pickerHtml(uid: string, accounts: readonly string[]): string {
  const buttons = accounts
    .map((email) => `<button type="submit" name="account" value="${escapeHtml(email)}">${escapeHtml(email)}</button>`)
    .join('\n');
  return `<p>Sign in as:</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
${buttons}
</form>`;
}

function sendPage(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, PAGE_HEADERS)
    .end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${TITLE}</title></head><body><h1>${TITLE}</h1>\n${body}</body></html>`,
    );
}
