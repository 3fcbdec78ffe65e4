/**
 * The embedded development OpenID provider (oidc-provider on 127.0.0.1), used when no authority
 * is configured so the product signs people in with no setup at all. Its sign-in page is an
 * account picker clearly labelled "Development sign-in". It refuses to run in production.
 *
 * The app reaches it through the same discovery, Arctic and jose code as Entra ID. Like Entra ID
 * set up for Countersign, it issues the app refresh tokens (offline_access), access tokens that are
 * JWTs for the app itself (audience: its client id), and exchanges those on-behalf-of a person for
 * tokens to the development APIs (dev-on-behalf-of.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair } from 'jose';
import type Provider from 'oidc-provider';
import type { ResourceServerInfo } from 'oidc-provider';
import type { Role } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import { JWT_BEARER, ON_BEHALF_OF_PARAMS, onBehalfOfGrant } from './dev-on-behalf-of.ts';
import { escapeHtml, PAGE_HEADERS, renderPage } from './html.ts';
import { generateToken } from './tokens.ts';

export interface DevAccount {
  name: string;
  email: string;
  role: Role;
  /** Sent as the ID token's `groups` claim, as Entra ID sends group object ids; absent: no claim. */
  groups?: string[];
}

/** Overridden by the DEV_ACCOUNTS setting. */
export const DEV_ACCOUNTS: readonly DevAccount[] = [
  { name: 'Ada Admin', email: 'ada@countersign.dev', role: 'admin' },
  { name: 'Uma User', email: 'uma@countersign.dev', role: 'user' },
  { name: 'Ulf User', email: 'ulf@countersign.dev', role: 'user' },
];

export const DEV_CLIENT_ID = 'countersign-dev';
/**
 * Users are keyed by issuer + subject, and the provider's port changes on every start
 * (DEV_OIDC_PORT=0), so the issuer is a fixed name rather than the listening address:
 * development accounts keep their chats across restarts.
 */
export const DEV_ISSUER = 'http://dev-sign-in.countersign.invalid';
/**
 * The APIs an on-behalf-of exchange gets tokens for, named by scope as with Entra ID
 * (`api://mcp-fixture/.default`): the audience of the tokens an MCP server behind the development
 * sign-in checks.
 */
export const DEV_APIS: readonly string[] = ['api://mcp-fixture'];
/** The app's own API, which sign-in access tokens are for; their audience is the client id, as in Entra ID. */
const APP_API = `api://${DEV_CLIENT_ID}`;
const SIGNING_ALG = 'ES256';
const TTL_SECONDS = 10 * 60;
/** Refresh tokens, and the grants behind them, last a working day: long enough to try things, short enough to forget. */
const REFRESH_TTL_SECONDS = 24 * 60 * 60;
const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;
const MAX_FORM_BYTES = 4096;

export interface DevProvider {
  /** Where discovery finds it: `http://127.0.0.1:<port>`. */
  readonly authority: string;
  readonly clientId: string;
  /** Random per start unless given: the app is a confidential client like a real Entra ID registration. */
  readonly clientSecret: string;
  readonly accounts: readonly DevAccount[];
  /** Registers the app; until then the provider answers 503. Called once the app's origin is known. */
  registerClient(redirectUri: string): void;
  stop(): Promise<void>;
}

export interface DevProviderOptions {
  env: 'development' | 'production' | 'test';
  port: number;
  accounts: readonly DevAccount[] | undefined;
  /** Set when instances started apart must all know it (dev-provider-main.ts); random otherwise. */
  clientSecret?: string;
  log: Logger;
}

export async function startDevProvider(options: DevProviderOptions): Promise<DevProvider> {
  // config.ts refuses this combination too; this is the last line, should anything bypass it.
  if (options.env === 'production') {
    throw new Error(
      'The development sign-in never runs in production: set ENTRA_TENANT_ID (or OIDC_AUTHORITY), OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.',
    );
  }
  // Loaded only here, so production never loads oidc-provider at all.
  const { default: OidcProvider, errors } = await import('oidc-provider');
  const accounts = options.accounts ?? DEV_ACCOUNTS;
  const log = options.log.child({ component: 'dev-oidc-provider' });
  const clientSecret = options.clientSecret ?? generateToken();
  const { signingKey, verificationKey } = await createSigningKey();
  let provider: Provider | undefined;
  let handleOidc: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  const server = createServer((req, res) => {
    if (!provider || !handleOidc) return sendPage(res, 503, 'Development sign-in is starting', '<p>Try again in a moment.</p>');
    route(provider, handleOidc, accounts, req, res).catch((error: unknown) => {
      log.error('development sign-in failed', { error });
      if (!res.headersSent) sendPage(res, 500, 'Development sign-in failed', '<p>See the server log.</p>');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log.info('development sign-in enabled: anyone who can reach it can sign in as any development account', { authority });

  return {
    authority,
    clientId: DEV_CLIENT_ID,
    clientSecret,
    accounts,
    registerClient(redirectUri) {
      provider = new OidcProvider(DEV_ISSUER, configuration(accounts, { clientSecret, redirectUri, signingKey }, errors.InvalidTarget));
      provider.registerGrantType(
        JWT_BEARER,
        onBehalfOfGrant(provider, { issuer: DEV_ISSUER, verificationKey, apis: DEV_APIS, alg: SIGNING_ALG }),
        ON_BEHALF_OF_PARAMS,
      );
      provider.on('server_error', (_ctx, error) => log.error('oidc-provider error', { error }));
      handleOidc = provider.callback();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function configuration(
  accounts: readonly DevAccount[],
  app: { clientSecret: string; redirectUri: string; signingKey: Record<string, unknown> },
  InvalidTarget: new () => Error,
): Record<string, unknown> {
  return {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        client_secret: app.clientSecret,
        redirect_uris: [app.redirectUri],
        grant_types: ['authorization_code', 'refresh_token', JWT_BEARER],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: SIGNING_ALG,
      },
    ],
    jwks: { keys: [app.signingKey] },
    cookies: { keys: [generateToken()] },
    claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
    // Put email, name and groups in the id_token itself, as Entra ID does, so the app needs no userinfo call.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.find((a) => a.email === sub);
      const groups = account?.groups && { groups: account.groups };
      return (
        account && { accountId: sub, claims: () => ({ sub, email: account.email, email_verified: true, name: account.name, ...groups }) }
      );
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // The app names no resource: its tokens are for its own API, whatever the scope...
        defaultResource: () => APP_API,
        // ...including with openid in the scope, where oidc-provider would otherwise issue an opaque userinfo token.
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string): ResourceServerInfo => {
          if (resource !== APP_API) throw new InvalidTarget();
          return { scope: '', audience: DEV_CLIENT_ID, accessTokenFormat: 'jwt', jwt: { sign: { alg: SIGNING_ALG } } };
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    // Only the app's server calls the token endpoint; no browser origin needs CORS.
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: TTL_SECONDS,
      Interaction: TTL_SECONDS,
      Grant: REFRESH_TTL_SECONDS,
      RefreshToken: REFRESH_TTL_SECONDS,
      Session: TTL_SECONDS,
    },
  };
}

/** The account picker (GET) and the choice (POST); everything else is oidc-provider's. */
async function route(
  provider: Provider,
  handleOidc: (req: IncomingMessage, res: ServerResponse) => void,
  accounts: readonly DevAccount[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  forgetProviderSession(req, provider.cookieName('session'));
  askConsentForOfflineAccess(req, provider.pathFor('authorization'));
  const match = INTERACTION_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
  if (!match) return handleOidc(req, res);
  const [, uid, choosing] = match;
  const details = await provider.interactionDetails(req, res).catch(() => undefined);
  if (!details || details.uid !== uid) {
    return sendPage(res, 400, 'This sign-in attempt has expired', '<p>Go back to Countersign and sign in again.</p>');
  }
  if (req.method === 'GET' && !choosing) return sendPage(res, 200, 'Development sign-in', pickerHtml(uid, accounts));
  if (req.method !== 'POST' || !choosing) return sendPage(res, 405, 'Not allowed', '<p>Pick an account on the sign-in page.</p>');

  const chosen = new URLSearchParams(await readForm(req)).get('account');
  const account = accounts.find((a) => a.email === chosen);
  if (!account) return sendPage(res, 400, 'Unknown account', '<p>Go back and pick one of the listed accounts.</p>');
  // A first-party app: record consent along with the login instead of showing a consent page.
  const grant = new provider.Grant({ accountId: account.email, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.email }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

/**
 * Hides oidc-provider's own session cookie from it, so it never remembers who signed in: every
 * sign-in shows the account picker, and switching accounts needs no logout at the provider
 * (which oidc-provider would do through a page that only works with JavaScript).
 */
function forgetProviderSession(req: IncomingMessage, name: string): void {
  const cookie = req.headers.cookie;
  if (!cookie) return;
  req.headers.cookie = cookie
    .split(';')
    .filter((part) => {
      const key = part.split('=', 1)[0]?.trim();
      return key !== name && key !== `${name}.sig`;
    })
    .join(';');
}

/**
 * Entra ID issues a refresh token whenever the app asks offline_access; oidc-provider drops that
 * scope unless the request also says prompt=consent (the app must not: Entra ID would then ask for
 * consent at every sign-in). The account picker records consent anyway, so the provider adds it.
 */
function askConsentForOfflineAccess(req: IncomingMessage, authorizationPath: string): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== authorizationPath || url.searchParams.has('prompt')) return;
  if (!url.searchParams.get('scope')?.split(' ').includes('offline_access')) return;
  url.searchParams.set('prompt', 'consent');
  req.url = `${url.pathname}${url.search}`;
}

function pickerHtml(uid: string, accounts: readonly DevAccount[]): string {
  const buttons = accounts
    .map(
      (a) =>
        `<button type="submit" name="account" value="${escapeHtml(a.email)}"><strong>${escapeHtml(a.name)}</strong> · ${escapeHtml(a.email)}${a.role === 'admin' ? ' · admin' : ''}</button>`,
    )
    .join('\n');
  return `<p class="note">This is Countersign's built-in sign-in for development and tests. Anyone who can reach it can
sign in as any account below, so it never runs in production: configure Microsoft Entra ID
(<code>ENTRA_TENANT_ID</code>, <code>OIDC_CLIENT_ID</code>, <code>OIDC_CLIENT_SECRET</code>) for real sign-in.</p>
<p>Sign in as:</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
${buttons}
</form>`;
}

function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, PAGE_HEADERS).end(renderPage(title, body));
}

async function readForm(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error('sign-in form too large');
  }
  return body;
}

async function createSigningKey(): Promise<{ signingKey: Record<string, unknown>; verificationKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: generateToken().slice(0, 16), alg: SIGNING_ALG, use: 'sig' };
  return { signingKey, verificationKey: publicKey };
}
