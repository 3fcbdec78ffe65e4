/**
 * The OAuth 2.0 authorization-code flow with PKCE (S256), through Arctic's generic client and
 * the discovered endpoints. The only file that imports Arctic: replacing it (openid-client is
 * the maintained alternative) touches nothing else.
 */
import { ArcticFetchError, CodeChallengeMethod, generateCodeVerifier, generateState, OAuth2Client, OAuth2RequestError } from 'arctic';
import type { Discovery } from './discovery.ts';
import { SignInError } from './errors.ts';

const SCOPES = ['openid', 'profile', 'email'];

export interface OAuthClientOptions {
  clientId: string;
  /** Null for a public client (PKCE alone). */
  clientSecret: string | null;
  /** Known only once the app listens, hence a function. */
  redirectUri: () => string;
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
      SCOPES,
    );
    // Arctic adds no nonce; the id_token must echo this one, binding it to this browser's attempt.
    url.searchParams.set('nonce', pending.nonce);
    return { url, pending };
  }

  /** Exchanges the code for tokens and returns the (still unverified) id_token. */
  async exchangeCode(code: string, codeVerifier: string): Promise<string> {
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
      return data.id_token;
    } catch (error) {
      if (error instanceof SignInError) throw error;
      if (error instanceof OAuth2RequestError) {
        const detail = error.description ? `${error.code}: ${error.description}` : error.code;
        throw new SignInError(400, 'Sign-in failed', `The identity provider refused the sign-in code (${detail}). Start again.`, {
          cause: error,
        });
      }
      const what = error instanceof ArcticFetchError ? 'could not be reached' : 'answered unexpectedly';
      throw new SignInError(502, 'The identity provider is unavailable', `Its token endpoint ${what}. Try again in a moment.`, {
        cause: error,
      });
    }
  }

  #client(): OAuth2Client {
    return new OAuth2Client(this.options.clientId, this.options.clientSecret, this.options.redirectUri());
  }
}
