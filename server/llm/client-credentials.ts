/**
 * Access tokens for an LLM endpoint secured by Azure AD (Entra ID): the OAuth 2.0 client
 * credentials grant against the tenant's token endpoint, found through OpenID discovery
 * (`{authority}/.well-known/openid-configuration`), so sovereign clouds and test providers work
 * the same way. One token is shared by every request and refreshed before it expires; concurrent
 * callers wait for the same refresh instead of each asking for a token.
 */
export interface ClientCredentialsOptions {
  authority: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  fetch?: typeof fetch;
  now?: () => number;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

/** Refresh this long before expiry (or halfway through a shorter lifetime). */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class ClientCredentialsTokens {
  #cached: CachedToken | undefined;
  #pending: Promise<CachedToken> | undefined;
  #tokenEndpoint: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
  }

  /** A valid bearer token, from the cache when it is not about to expire. */
  async token(): Promise<string> {
    if (this.#cached && this.#now() < this.#cached.refreshAt) return this.#cached.value;
    this.#pending ??= this.#request().finally(() => {
      this.#pending = undefined;
    });
    this.#cached = await this.#pending;
    return this.#cached.value;
  }

  async #request(): Promise<CachedToken> {
    const endpoint = await this.#discoverTokenEndpoint();
    const issuedAt = this.#now();
    const response = await this.#fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        scope: this.options.scope,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number | string;
      error?: string;
      error_description?: string;
    };
    if (!response.ok || !body.access_token) {
      const detail = [body.error, body.error_description].filter(Boolean).join(': ') || 'no access_token in the answer';
      throw new Error(`Azure AD token request failed (HTTP ${response.status}): ${detail}`);
    }
    const lifetimeMs = Number(body.expires_in ?? 3600) * 1000;
    return { value: body.access_token, refreshAt: issuedAt + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) };
  }

  async #discoverTokenEndpoint(): Promise<string> {
    if (this.#tokenEndpoint) return this.#tokenEndpoint;
    const url = `${this.options.authority.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await this.#fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`OpenID discovery failed (HTTP ${response.status}) at ${url}`);
    const document = (await response.json()) as { token_endpoint?: unknown };
    if (typeof document.token_endpoint !== 'string') throw new Error(`OpenID discovery at ${url} names no token_endpoint`);
    this.#tokenEndpoint = document.token_endpoint;
    return this.#tokenEndpoint;
  }
}
