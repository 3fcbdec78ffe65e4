/**
 * The OAuth 2.0 authorization-code flow with PKCE (S256), and the refresh of the tokens it
 * returns, through Arctic's generic client and the discovered endpoints. The only file that imports Arctic: replacing it (openid-client is
 * the maintained alternative) touches nothing else.
 */
import {
  ArcticFetchError,
  CodeChallengeMethod,
  generateCodeVerifier,
  generateState,
  OAuth2Client,
  OAuth2RequestError,
  type OAuth2Tokens,
} from 'arctic';
import type { Discovery } from './discovery.ts';
import { SignInError } from './errors.ts';

const SCOPES = ['openid', 'profile', 'email'];
/** Asks for a refresh token, so the person's tokens outlive the access token (kept for on-behalf-of exchanges). */
const OFFLINE_ACCESS = 'offline_access';

export interface OAuthClientOptions {
  clientId: string;
  /** Null for a public client (PKCE alone). */
  clientSecret: string | null;
  /** Known only once the app listens, hence a function. */
  redirectUri: () => string;
  /**
   * A scope naming Countersign's own API (OIDC_API_SCOPE; with Entra ID `api://<client id>/access_as_user`),
   * so the access token from sign-in is for Countersign and can be exchanged on the person's behalf.
   */
  apiScope?: string;
}

/** The person's tokens from the provider, kept (sealed) to act on their behalf later. */
export interface ProviderTokens {
  accessToken: string;
  /** Null when the provider issued none (it does not offer offline_access). */
  refreshToken: string | null;
  /** Null when the provider did not say (no expires_in). */
  expiresAt: Date | null;
}

/** What the code exchange returns: the (still unverified) id_token and the tokens to keep. */
export interface SignInTokens extends ProviderTokens {
  idToken: string;
}

/** What the callback needs to finish this attempt; kept by the browser in a short-lived cookie. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export class OAuthClient {
  constructor(
    private readonly discovery: Discovery,
    private readonly options: OAuthClientOptions,
  ) {}

  async authorizationUrl(): Promise<{ url: URL; pending: PendingSignIn }> {
    const { authorization_endpoint } = await this.discovery.metadata();
    const pending = { state: generateState(), nonce: generateState(), codeVerifier: generateCodeVerifier() };
    const url = this.#client().createAuthorizationURLWithPKCE(
      authorization_endpoint,
      pending.state,
      CodeChallengeMethod.S256,
      pending.codeVerifier,
      await this.#scopes(),
    );
    // Arctic adds no nonce; the id_token must echo this one, binding it to this browser's attempt.
    url.searchParams.set('nonce', pending.nonce);
    return { url, pending };
  }

  /** Exchanges the code for tokens: the (still unverified) id_token, and the access and refresh tokens. */
  async exchangeCode(code: string, codeVerifier: string): Promise<SignInTokens> {
    const { token_endpoint } = await this.discovery.metadata();
    try {
      const tokens = await this.#client().validateAuthorizationCode(token_endpoint, code, codeVerifier);
      const data = tokens.data as { id_token?: unknown };
      if (typeof data.id_token !== 'string') {
        throw new SignInError(
          400,
          'Sign-in failed',
          'The identity provider returned no id_token. Is the app registered for OpenID Connect?',
        );
      }
      return { idToken: data.id_token, ...providerTokens(tokens, null) };
    } catch (error) {
      if (error instanceof SignInError) throw error;
      if (error instanceof OAuth2RequestError) {
        throw new SignInError(400, 'Sign-in failed', `The identity provider refused the sign-in code (${detailOf(error)}). Start again.`, {
          cause: error,
        });
      }
      throw unavailable(error);
    }
  }

  /**
   * New tokens for a refresh token, asking for the sign-in scopes again (Entra ID wants them named).
   * Undefined when the provider refuses it (revoked, expired, or the person must sign in again);
   * throws SignInError (502) when the provider cannot be reached.
   */
  async refresh(refreshToken: string): Promise<ProviderTokens | undefined> {
    const { token_endpoint } = await this.discovery.metadata();
    try {
      const tokens = await this.#client().refreshAccessToken(token_endpoint, refreshToken, await this.#scopes());
      return providerTokens(tokens, refreshToken);
    } catch (error) {
      if (error instanceof OAuth2RequestError) return undefined;
      throw unavailable(error);
    }
  }

  async #scopes(): Promise<string[]> {
    const { scopes_supported } = await this.discovery.metadata();
    const offline = scopes_supported?.includes(OFFLINE_ACCESS) ? [OFFLINE_ACCESS] : [];
    return [...SCOPES, ...offline, ...(this.options.apiScope ? [this.options.apiScope] : [])];
  }

  #client(): OAuth2Client {
    return new OAuth2Client(this.options.clientId, this.options.clientSecret, this.options.redirectUri());
  }
}

/** A provider that issues no new refresh token on a refresh means the old one still holds: it is kept. */
function providerTokens(tokens: OAuth2Tokens, previousRefreshToken: string | null): ProviderTokens {
  const data = tokens.data as { expires_in?: unknown };
  return {
    accessToken: tokens.accessToken(),
    refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : previousRefreshToken,
    expiresAt: typeof data.expires_in === 'number' ? tokens.accessTokenExpiresAt() : null,
  };
}

function detailOf(error: OAuth2RequestError): string {
  return error.description ? `${error.code}: ${error.description}` : error.code;
}

function unavailable(error: unknown): SignInError {
  const what = error instanceof ArcticFetchError ? 'could not be reached' : 'answered unexpectedly';
  return new SignInError(502, 'The identity provider is unavailable', `Its token endpoint ${what}. Try again in a moment.`, {
    cause: error,
  });
}
