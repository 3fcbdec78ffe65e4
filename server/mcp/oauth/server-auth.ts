/**
 * How one person's connection to a catalogue server proves who is calling, by the entry's auth
 * mode: the person's own OAuth tokens (they must have signed in first), a service identity from
 * client credentials (a client secret, or a private key for private_key_jwt), or nothing added
 * (none, and static secret headers, which secrets.ts resolves).
 */
import { createPrivateKey } from 'node:crypto';
import {
  type AuthProvider,
  ClientCredentialsProvider,
  type OAuthClientProvider,
  PrivateKeyJwtProvider,
} from '@modelcontextprotocol/client';
import type { TokenCipher } from '../../crypto/token-cipher.ts';
import type { CatalogueCredentials } from '../catalogue.ts';
import type { CatalogueEntry } from '../catalogue-store.ts';
import type { AuthorisationStore } from './authorisation-store.ts';
import { clientSecretContext } from './client-secret.ts';
import type { OnBehalfOfTokens } from './on-behalf-of-auth.ts';
import { PersonOAuthProvider, type PersonProviderDeps } from './person-provider.ts';
import type { RegisteredClientStore } from './registered-client-store.ts';

/** The person has no usable authorisation for the server: they must sign in at its authorisation server. */
export class NeedsSignIn extends Error {
  override name = 'NeedsSignIn';
  constructor(readonly serverName: string) {
    super(`${serverName} needs you to sign in`);
  }
}

export type TransportAuth = AuthProvider | OAuthClientProvider;

export interface ServerAuthDeps extends PersonProviderDeps {
  authorisations: AuthorisationStore;
  clients: RegisteredClientStore;
  cipher: TokenCipher;
  /** Exchanges people's sign-ins for on-behalf-of servers; absent where there is no sign-in (the conformance client). */
  onBehalfOf: OnBehalfOfTokens | undefined;
}

export class ServerAuth implements CatalogueCredentials {
  constructor(readonly deps: ServerAuthDeps) {}

  sealClientSecret(serverId: string, secret: string): string {
    return this.deps.cipher.seal(secret, clientSecretContext(serverId));
  }

  async forgetServer(serverId: string): Promise<void> {
    this.deps.onBehalfOf?.forgetServer(serverId);
    await this.deps.authorisations.deleteForServer(serverId);
    await this.deps.clients.delete(serverId);
  }

  /** What the connection's transport authenticates with; throws NeedsSignIn when the person has not signed in. */
  async forConnection(userId: string, entry: CatalogueEntry): Promise<TransportAuth | undefined> {
    switch (entry.authMode) {
      case 'oauth':
        // No network for a person who never signed in: the answer is known.
        if (!(await this.deps.authorisations.has(userId, entry.id))) throw new NeedsSignIn(entry.name);
        return new PersonOAuthProvider(userId, entry, this.deps);
      case 'client-credentials':
        return this.serviceCredentials(entry);
      case 'on-behalf-of':
        if (!this.deps.onBehalfOf) throw new Error(`${entry.name} exchanges people's sign-ins, which this process does not have`);
        return this.deps.onBehalfOf.providerFor(userId, entry);
      default:
        return undefined;
    }
  }

  /** A provider that may start a sign-in for the person (the sign-in route's probe). */
  forSignIn(userId: string, entry: CatalogueEntry, returnTo: string): PersonOAuthProvider {
    return new PersonOAuthProvider(userId, entry, this.deps, undefined, returnTo);
  }

  /** Client credentials: the secret is a client secret, or a PEM private key for private_key_jwt. */
  serviceCredentials(
    entry: Pick<CatalogueEntry, 'id' | 'oauthClientId' | 'oauthClientSecret' | 'oauthScopes' | 'oauthIssuer'>,
  ): OAuthClientProvider {
    const clientId = entry.oauthClientId;
    if (!clientId || !entry.oauthClientSecret) throw new Error('client credentials need a client id and a secret or private key');
    const secret = this.deps.cipher.open(entry.oauthClientSecret, clientSecretContext(entry.id));
    const scope = entry.oauthScopes ?? undefined;
    // Without it the credential goes to whichever authorisation server the MCP server names.
    const expectedIssuer = entry.oauthIssuer ?? undefined;
    if (!secret.includes('-----BEGIN'))
      return new ClientCredentialsProvider({ clientId, clientSecret: secret, clientName: 'Countersign', scope, expectedIssuer });
    return new PrivateKeyJwtProvider({
      clientId,
      privateKey: secret,
      algorithm: signingAlgorithm(secret),
      clientName: 'Countersign',
      scope,
      expectedIssuer,
    });
  }
}

/** The JWS algorithm a private key signs with: ES256/384/512 by curve, RS256 for RSA, EdDSA for Ed25519. */
export function signingAlgorithm(pem: string): string {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1') return 'ES256';
  if (curve === 'secp384r1') return 'ES384';
  if (curve === 'secp521r1') return 'ES512';
  throw new Error(`a private key of type ${key.asymmetricKeyType}${curve ? ` (${curve})` : ''} cannot sign client assertions`);
}
