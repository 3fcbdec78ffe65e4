/** The stores and settings per-person MCP OAuth works with, built once per process. */
import type { AppDatabase } from '../../../db/database.ts';
import type { TokenCipher } from '../../crypto/token-cipher.ts';
import { AuthorisationStore } from './authorisation-store.ts';
import { FlowStore } from './flow-store.ts';
import { type OnBehalfOfSource, OnBehalfOfTokens } from './on-behalf-of-auth.ts';
import { CLIENT_METADATA_PATH, SIGN_IN_CALLBACK_PATH } from './paths.ts';
import { RegisteredClientStore } from './registered-client-store.ts';
import { ServerAuth, type ServerAuthDeps } from './server-auth.ts';

export interface OAuthSetupOptions {
  db: AppDatabase;
  cipher: TokenCipher;
  /** This server's origin as browsers reach it. */
  origin: () => string;
  env: 'development' | 'production' | 'test';
  /** Overrides the Client ID Metadata Document URL (the conformance suite names its own). */
  clientMetadataUrl?: string;
  /** People's sign-ins, for servers in on-behalf-of mode. */
  onBehalfOf?: OnBehalfOfSource;
}

export function oauthDeps(options: OAuthSetupOptions): ServerAuthDeps {
  const { db, cipher, origin } = options;
  return {
    authorisations: new AuthorisationStore(db, cipher),
    clients: new RegisteredClientStore(db, cipher),
    flows: new FlowStore(db, cipher),
    cipher,
    redirectUrl: () => `${origin()}${SIGN_IN_CALLBACK_PATH}`,
    // Authorisation servers fetch the document, and the SDK offers it only over https.
    clientMetadataUrl: () =>
      options.clientMetadataUrl ?? (origin().startsWith('https://') ? `${origin()}${CLIENT_METADATA_PATH}` : undefined),
    urls: { allowLoopbackHttp: options.env !== 'production' },
    onBehalfOf: options.onBehalfOf && new OnBehalfOfTokens(options.onBehalfOf),
  };
}

export function createServerAuth(options: OAuthSetupOptions): ServerAuth {
  return new ServerAuth(oauthDeps(options));
}
