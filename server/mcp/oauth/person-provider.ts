/**
 * The MCP SDK's OAuth client (`auth()`: discovery, registration, PKCE, the resource parameter,
 * scopes, refresh, step-up) keeps what it learns through an OAuthClientProvider. This one keeps
 * it for one person and one catalogue server: tokens in AuthorisationStore, the registered
 * client in RegisteredClientStore (or the admin's pre-registered one), and a sign-in that sends
 * the person to the authorisation server in FlowStore, where the callback finds it again.
 *
 * It never sends anyone anywhere itself: `redirectToAuthorization` records the flow and the URL,
 * and the caller decides (the sign-in route redirects the browser; a background connect only
 * reports that the person must sign in).
 */
import type {
  OAuthClientInformationContext,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { TokenCipher } from '../../crypto/token-cipher.ts';
import type { CatalogueEntry } from '../catalogue-store.ts';
import type { AuthorisationStore } from './authorisation-store.ts';
import { checkAuthorizationUrl, type UrlPolicy } from './authorization-url-guard.ts';
import { clientSecretContext } from './client-secret.ts';
import type { FlowStore, PendingFlow } from './flow-store.ts';
import type { RegisteredClientStore } from './registered-client-store.ts';

export interface PersonProviderDeps {
  authorisations: AuthorisationStore;
  clients: RegisteredClientStore;
  flows: FlowStore;
  cipher: TokenCipher;
  /** This server's OAuth callback, registered with every authorisation server (known once the app listens). */
  redirectUrl: () => string;
  /** The https URL of Countersign's Client ID Metadata Document, when it has one. */
  clientMetadataUrl: () => string | undefined;
  urls: UrlPolicy;
}

export type OAuthEntry = Pick<CatalogueEntry, 'id' | 'name' | 'oauthClientId' | 'oauthClientSecret' | 'oauthScopes' | 'oauthIssuer'>;

/** Issuers compared as RFC 8414 does, give or take a trailing slash. */
const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export class PersonOAuthProvider implements OAuthClientProvider {
  readonly #state = crypto.randomUUID();
  #codeVerifier: string | undefined;
  #discovery: OAuthDiscoveryState | undefined;
  /** The sign-in this provider last started, if any. */
  startedFlow: PendingFlow | undefined;

  constructor(
    readonly userId: string,
    readonly entry: OAuthEntry,
    private readonly deps: PersonProviderDeps,
    /** On the callback leg: the flow the person comes back from. */
    private readonly resumed?: PendingFlow,
    /** Where the person's browser goes back to once signed in. */
    private readonly returnTo = '/',
  ) {
    this.#codeVerifier = resumed?.codeVerifier;
    this.#discovery = resumed?.discovery;
  }

  get redirectUrl(): string {
    return this.deps.redirectUrl();
  }

  get clientMetadataUrl(): string | undefined {
    return this.deps.clientMetadataUrl();
  }

  get clientMetadata(): OAuthClientMetadata {
    return clientMetadata(this.deps.redirectUrl(), this.entry.oauthScopes ?? undefined);
  }

  state(): string {
    return this.#state;
  }

  async clientInformation(ctx?: OAuthClientInformationContext): Promise<StoredOAuthClientInformation | undefined> {
    const { oauthClientId, oauthClientSecret, oauthIssuer } = this.entry;
    if (oauthClientId) {
      // A server now naming another authorisation server never gets the admin's client (or its secret) sent there.
      if (oauthIssuer && ctx && !sameIssuer(ctx.issuer, oauthIssuer)) {
        throw new Error(
          `${this.entry.name} names ${ctx.issuer} as its authorisation server, but its client is registered at ${oauthIssuer}; nothing was sent there. An admin can check the server's settings.`,
        );
      }
      const secret = oauthClientSecret ? this.deps.cipher.open(oauthClientSecret, clientSecretContext(this.entry.id)) : undefined;
      return { client_id: oauthClientId, ...(secret ? { client_secret: secret } : {}), ...(ctx ? { issuer: ctx.issuer } : {}) };
    }
    return ctx ? this.deps.clients.get(this.entry.id, ctx.issuer) : undefined;
  }

  async saveClientInformation(client: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext): Promise<void> {
    // The admin's pre-registered client is the catalogue's to keep, not ours.
    if (this.entry.oauthClientId) return;
    const issuer = ctx?.issuer ?? client.issuer;
    if (issuer) await this.deps.clients.save(this.entry.id, issuer, client as OAuthClientInformationMixed);
  }

  async tokens(ctx?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    const stored = await this.deps.authorisations.get(this.userId, this.entry.id);
    if (!stored || (ctx && ctx.issuer !== stored.issuer)) return undefined;
    return { ...stored.tokens, issuer: stored.issuer };
  }

  async saveTokens(tokens: StoredOAuthTokens, ctx?: OAuthClientInformationContext): Promise<void> {
    const { issuer: stamped, ...plain } = tokens;
    const issuer = stamped ?? ctx?.issuer ?? this.#discovery?.authorizationServerMetadata?.issuer;
    if (!issuer) throw new Error('tokens arrived without the authorisation server that issued them');
    await this.deps.authorisations.save(this.userId, this.entry.id, issuer, plain);
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.#codeVerifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.#codeVerifier) throw new Error('this sign-in has no PKCE verifier: start it again');
    return this.#codeVerifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#discovery;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all' || scope === 'tokens') await this.deps.authorisations.delete(this.userId, this.entry.id);
    if ((scope === 'all' || scope === 'client') && !this.entry.oauthClientId) await this.deps.clients.delete(this.entry.id);
    if (scope === 'all' || scope === 'verifier') this.#codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.#discovery = undefined;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const url = checkAuthorizationUrl(authorizationUrl, this.deps.urls, 'authorization endpoint');
    const flow: PendingFlow = {
      state: this.#state,
      userId: this.userId,
      serverId: this.entry.id,
      codeVerifier: this.codeVerifier(),
      discovery: this.#discovery,
      authorizationUrl: url.href,
      scope: url.searchParams.get('scope') ?? undefined,
      returnTo: this.resumed?.returnTo ?? this.returnTo,
    };
    await this.deps.flows.save(flow);
    this.startedFlow = flow;
  }
}

/** How Countersign describes itself to authorisation servers (registration, and its metadata document). */
export function clientMetadata(redirectUrl: string, scope: string | undefined): OAuthClientMetadata {
  return {
    client_name: 'Countersign',
    redirect_uris: [redirectUrl],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...(scope ? { scope } : {}),
  };
}
