/**
 * Entra ID's on-behalf-of flow at the development provider, so it can be tried and tested locally:
 * the OAuth 2.0 JWT-bearer grant (RFC 7523) with `requested_token_use=on_behalf_of`. The app sends a
 * person's access token from sign-in as the assertion and an API's Entra-style scope
 * (`api://mcp-fixture/.default`, or a `resource` parameter naming the API), and gets an access token
 * for that API with the same person as `sub`, signed with the provider's key like any other.
 *
 * Entra's rules, kept here: the assertion must be a valid, unexpired access token of this provider
 * whose audience is the calling client (a token for some other app cannot be exchanged by this one),
 * and only known APIs get tokens.
 */
import { errors as joseErrors, jwtVerify, type CryptoKey } from 'jose';
import type { GrantContext, default as Provider } from 'oidc-provider';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** What the grant handler reads, besides grant_type and the client's authentication. */
export const ON_BEHALF_OF_PARAMS = ['assertion', 'requested_token_use', 'scope', 'resource'] as const;
/** Entra's v2 endpoint names the API only through its scope: `<API id>/.default`. */
const DEFAULT_SCOPE_SUFFIX = '/.default';

export interface OnBehalfOfOptions {
  issuer: string;
  /** Verifies the assertion: the public half of the provider's signing key. */
  verificationKey: CryptoKey;
  /** The APIs tokens may be issued for (their resource indicators, also the tokens' audience). */
  apis: readonly string[];
  /** The signing algorithm of the provider's key, for the tokens it issues. */
  alg: string;
}

export function onBehalfOfGrant(provider: Provider, options: OnBehalfOfOptions): (ctx: GrantContext) => Promise<void> {
  return async (ctx) => {
    const { params, client } = ctx.oidc;
    if (params.requested_token_use !== 'on_behalf_of') {
      return refuse(ctx, 'invalid_request', 'requested_token_use must be on_behalf_of');
    }
    let person: string;
    try {
      const { payload } = await jwtVerify(String(params.assertion ?? ''), options.verificationKey, {
        issuer: options.issuer,
        audience: client.clientId,
        // An access token, not the id_token (which has the same issuer, audience and key).
        typ: 'at+jwt',
        requiredClaims: ['sub'],
      });
      person = payload.sub as string;
    } catch (error) {
      const reason = error instanceof joseErrors.JOSEError ? error.message : 'unreadable';
      return refuse(ctx, 'invalid_grant', `the assertion is not a valid access token for ${client.clientId} from this provider: ${reason}`);
    }
    const api = typeof params.resource === 'string' ? params.resource : apiOfScope(params.scope);
    if (!api || !options.apis.includes(api)) {
      return refuse(ctx, 'invalid_scope', `no API known here for ${api ?? `scope ${String(params.scope ?? '')}`}`);
    }
    const token = new provider.AccessToken({ accountId: person, client });
    token.resourceServer = new provider.ResourceServer(api, { scope: '', accessTokenFormat: 'jwt', jwt: { sign: { alg: options.alg } } });
    ctx.body = { access_token: await token.save(), token_type: 'Bearer', expires_in: token.expiration, scope: params.scope };
  };
}

function apiOfScope(scope: unknown): string | undefined {
  if (typeof scope !== 'string') return undefined;
  return scope
    .split(' ')
    .find((s) => s.endsWith(DEFAULT_SCOPE_SUFFIX))
    ?.slice(0, -DEFAULT_SCOPE_SUFFIX.length);
}

/** The token endpoint's error answer (RFC 6749 §5.2), with a description saying what was wrong. */
function refuse(ctx: GrantContext, error: 'invalid_request' | 'invalid_grant' | 'invalid_scope', description: string): void {
  ctx.status = 400;
  ctx.body = { error, error_description: description };
}
