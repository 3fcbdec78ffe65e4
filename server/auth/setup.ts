/**
 * Builds sign-in for a server: the configured provider (Entra ID or any OpenID provider), or the
 * embedded development provider when none is configured, and the AuthService over the stores.
 */
import type { AppDatabase } from '../../db/database.ts';
import type { ControlChannel } from '../cluster/control-channel.ts';
import type { Config } from '../config.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { Logger } from '../log.ts';
import { ApiTokens } from './api-tokens.ts';
import { DrizzleApiTokenStore } from './api-token-store.ts';
import { AuthService } from './auth-service.ts';
import { Cookies } from './cookies.ts';
import { startDevProvider } from './dev-provider.ts';
import { Discovery } from './discovery.ts';
import { IdTokenVerifier, isEntraAuthority } from './id-token.ts';
import { IdentityTokenStore } from './identity-token-store.ts';
import { IdentityTokens } from './identity-tokens.ts';
import { OAuthClient } from './oauth-client.ts';
import { DrizzleSessionStore } from './session-store.ts';
import { Sessions } from './sessions.ts';
import { SignInFlow } from './sign-in-flow.ts';
import { DrizzleUserStore } from './users-store.ts';

export const CALLBACK_PATH = '/auth/callback';

export interface AppRegistration {
  tokenEndpoint: () => Promise<string>;
  clientId: string;
  /** Null for a public client, which cannot exchange tokens on anyone's behalf. */
  clientSecret: string | null;
}

export interface AuthSetup {
  service: AuthService;
  /** Countersign's own registration at its provider: what an exchange on a person's behalf authenticates as. */
  registration: AppRegistration;
  /** Call once the app listens: the development provider learns the app's redirect URI. */
  appListening(): void;
}

export async function setUpAuth(deps: {
  config: Config;
  db: AppDatabase;
  log: Logger;
  lifecycle: Lifecycle;
  /** The app's origin; known only after it listens. */
  origin: () => string;
  /** Ended sessions are announced on it to every instance. */
  control: ControlChannel;
  /** Seals the sign-in tokens kept for exchanges on a person's behalf. */
  cipher: TokenCipher;
}): Promise<AuthSetup> {
  const { config, db, lifecycle } = deps;
  const log = deps.log.child({ component: 'auth' });
  const redirectUri = () => `${deps.origin()}${CALLBACK_PATH}`;

  const dev = config.auth.authority
    ? undefined
    : await startDevProvider({ env: config.env, port: config.auth.devProviderPort, accounts: config.auth.devAccounts, log });
  if (dev) lifecycle.onShutdown('dev-oidc-provider', () => dev.stop());
  const authority = dev?.authority ?? config.auth.authority;
  const clientId = dev?.clientId ?? config.auth.clientId;
  // config.ts already refuses an authority without a client id; this keeps the types honest.
  if (!authority || !clientId) throw new Error('OIDC_CLIENT_ID is required when ENTRA_TENANT_ID or OIDC_AUTHORITY is set');

  const discovery = new Discovery(authority);
  const clientSecret = dev?.clientSecret ?? config.auth.clientSecret ?? null;
  const oauth = new OAuthClient(discovery, { clientId, clientSecret, redirectUri, apiScope: config.auth.apiScope });
  const idTokens = new IdTokenVerifier(discovery, {
    clientId,
    entra: config.auth.tenantId !== undefined || isEntraAuthority(authority),
    allowedTenants: config.auth.allowedTenants,
    log,
  });
  const devAdmins = dev?.accounts.filter((a) => a.role === 'admin').map((a) => a.email) ?? [];

  const identityTokens = new IdentityTokens(new IdentityTokenStore(db, deps.cipher), oauth, log);
  const service = new AuthService({
    users: new DrizzleUserStore(db),
    sessions: new Sessions(new DrizzleSessionStore(db), config.auth.sessionTtlMs),
    apiTokens: new ApiTokens(new DrizzleApiTokenStore(db)),
    flow: new SignInFlow(oauth, idTokens),
    identityTokens,
    cookies: new Cookies(config.env === 'production'),
    admins: [...config.auth.admins, ...devAdmins],
    control: deps.control,
    log,
  });
  return {
    service,
    registration: {
      tokenEndpoint: async () => (await discovery.metadata()).token_endpoint,
      clientId,
      clientSecret,
    },
    appListening: () => dev?.registerClient(redirectUri()),
  };
}
