/**
 * The `on-behalf-of` auth mode: a person's connection authenticates with a token exchanged from
 * their own Countersign sign-in (Entra ID's on-behalf-of flow, on-behalf-of.ts), so a server
 * protected by the same tenant never asks them to sign in again. Exchanged tokens are kept in
 * memory only, per person and server, until a minute before they expire: they are short-lived and
 * can always be exchanged again, so none is ever written down.
 */
import type { AuthProvider } from '@modelcontextprotocol/client';
import type { CatalogueEntry } from '../catalogue-store.ts';
import { exchangeOnBehalfOf, type OnBehalfOfToken } from './on-behalf-of.ts';
import { NeedsSignIn } from './server-auth.ts';

const REUSE_MARGIN_MS = 60_000;

/** What the exchange needs of sign-in: the person's token for Countersign, and Countersign's own registration. */
export interface OnBehalfOfSource {
  /** A valid access token from the person's sign-in; undefined when only a new sign-in can give one. */
  assertion(userId: string): Promise<string | undefined>;
  /** The sign-in tokens stopped working (the exchange refused them): forget them. */
  forget(userId: string): Promise<void>;
  exchange(assertion: string, scope: string): Promise<OnBehalfOfToken>;
}

/** The person must sign in to Countersign again: their sign-in can no longer be exchanged. */
/**
 * The exchange as sign-in allows it: the person's own access token for Countersign, exchanged at
 * Countersign's provider, authenticated as Countersign's registration (a confidential client).
 */
export function onBehalfOfSource(
  registration: { tokenEndpoint: () => Promise<string>; clientId: string; clientSecret: string | null },
  signIns: { accessToken(userId: string): Promise<string | undefined>; forget(userId: string): Promise<void> },
): OnBehalfOfSource {
  return {
    assertion: (userId) => signIns.accessToken(userId),
    forget: (userId) => signIns.forget(userId),
    async exchange(assertion, scope) {
      const { clientId, clientSecret } = registration;
      if (!clientSecret) throw new Error('on-behalf-of needs Countersign to be a confidential client: set OIDC_CLIENT_SECRET');
      return exchangeOnBehalfOf({ tokenEndpoint: await registration.tokenEndpoint(), clientId, clientSecret, assertion, scope });
    },
  };
}

export class NeedsFreshSignIn extends NeedsSignIn {
  override name = 'NeedsFreshSignIn';
  override readonly message: string;
  constructor(serverName: string) {
    super(serverName);
    this.message = `${serverName} needs you to sign in to Countersign again`;
  }
}

export class OnBehalfOfTokens {
  readonly #cache = new Map<string, OnBehalfOfToken>();
  readonly #pending = new Map<string, Promise<OnBehalfOfToken>>();

  constructor(private readonly source: OnBehalfOfSource) {}

  /** The transport's auth: a cached token, or a fresh exchange; a 401 from the server drops the cached one. */
  providerFor(userId: string, entry: Pick<CatalogueEntry, 'id' | 'name' | 'oauthScopes'>): AuthProvider {
    const key = `${userId}\n${entry.id}`;
    return {
      token: async () => (await this.#token(key, userId, entry)).accessToken,
      onUnauthorized: async () => {
        this.#cache.delete(key);
        await this.#token(key, userId, entry);
      },
    };
  }

  /** Forgets what was exchanged for a server (an admin changed it). */
  forgetServer(serverId: string): void {
    for (const key of this.#cache.keys()) if (key.endsWith(`\n${serverId}`)) this.#cache.delete(key);
  }

  #token(key: string, userId: string, entry: Pick<CatalogueEntry, 'name' | 'oauthScopes'>): Promise<OnBehalfOfToken> {
    const cached = this.#cache.get(key);
    if (cached && (!cached.expiresAt || cached.expiresAt.getTime() - Date.now() > REUSE_MARGIN_MS)) return Promise.resolve(cached);
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#exchange(userId, entry).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending.then((token) => {
      this.#cache.set(key, token);
      return token;
    });
  }

  async #exchange(userId: string, entry: Pick<CatalogueEntry, 'name' | 'oauthScopes'>): Promise<OnBehalfOfToken> {
    const assertion = await this.source.assertion(userId);
    if (!assertion) throw new NeedsFreshSignIn(entry.name);
    try {
      return await this.source.exchange(assertion, entry.oauthScopes ?? '');
    } catch (error) {
      // The sign-in tokens themselves were refused (revoked, or the person's session ended at the provider).
      if ((error as { cause?: { code?: string } }).cause?.code === 'invalid_grant') {
        await this.source.forget(userId);
        throw new NeedsFreshSignIn(entry.name);
      }
      throw new Error(`${entry.name}: ${(error as Error).message}`, { cause: error });
    }
  }
}
