/**
 * The provider's OpenID discovery document (`{authority}/.well-known/openid-configuration`),
 * fetched on first use and kept for an hour. Endpoints come from it rather than from code, so
 * Entra ID tenants, sovereign clouds and the local development provider work alike.
 */
import { z } from 'zod';
import { SignInError } from './errors.ts';

const metadataSchema = z.object({
  /** For Entra ID's multi-tenant authorities this holds a `{tenantid}` placeholder. */
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  /** Sign-in asks for `offline_access` (a refresh token) only where it is listed. */
  scopes_supported: z.array(z.string()).optional(),
});

export type ProviderMetadata = z.infer<typeof metadataSchema>;

const CACHE_MS = 60 * 60_000;
const FETCH_TIMEOUT_MS = 10_000;

export class Discovery {
  readonly url: string;
  #cached: { metadata: ProviderMetadata; until: number } | undefined;
  #inFlight: Promise<ProviderMetadata> | undefined;

  constructor(authority: string) {
    this.url = `${authority.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  }

  /** Concurrent callers share one fetch; a failed fetch is not cached, so the next call retries. */
  metadata(): Promise<ProviderMetadata> {
    if (this.#cached && this.#cached.until > Date.now()) return Promise.resolve(this.#cached.metadata);
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<ProviderMetadata> {
    let body: unknown;
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new SignInError(502, 'The identity provider cannot be reached', `Fetching ${this.url} failed. Try again in a moment.`, {
        cause: error,
      });
    }
    const parsed = metadataSchema.safeParse(body);
    if (!parsed.success) {
      throw new SignInError(502, 'The identity provider is misconfigured', `${this.url} is not a usable OpenID discovery document.`, {
        cause: parsed.error,
      });
    }
    this.#cached = { metadata: parsed.data, until: Date.now() + CACHE_MS };
    return parsed.data;
  }
}
