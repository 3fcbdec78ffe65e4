/**
 * A tiny OpenID provider for tests that returns deliberately defective id_tokens. The app talks
 * to it through its production code path (discovery, Arctic's token exchange, jose
 * verification), pointed here by OIDC_AUTHORITY. It checks what a real provider checks of the
 * app: client credentials, redirect URI, and the PKCE verifier against the S256 challenge.
 */
import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export type Defect =
  | 'none'
  | 'no-nonce'
  | 'wrong-nonce'
  | 'wrong-audience'
  | 'wrong-issuer'
  | 'expired'
  | 'other-key'
  | 'other-tenant'
  | 'access-denied';

export interface FakeOidcProviderOptions {
  clientId: string;
  clientSecret: string;
  tenant: string;
  /** Discovery names the issuer `{url}/{tenantid}/v2.0`, as Entra ID's multi-tenant authorities do. */
  multiTenant?: boolean;
}

export interface FakeOidcProvider extends AsyncDisposable {
  readonly url: string;
  /** What the next id_token gets wrong. */
  defect: Defect;
  /** Claims of the next id_token (besides iss, aud, nonce, iat, exp). */
  claims: { sub: string; oid: string; tid: string; email: string; name: string; groups?: unknown; _claim_names?: unknown };
}

interface PendingCode {
  nonce: string | null;
  challenge: string;
  redirectUri: string;
}

const KID = 'test-key';

export async function startFakeOidcProvider(options: FakeOidcProviderOptions): Promise<FakeOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const other = await generateKeyPair('ES256');
  const codes = new Map<string, PendingCode>();
  let base = '';

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request: Request): Promise<Response> => {
      const url = new URL(request.url);
      switch (url.pathname) {
        case '/.well-known/openid-configuration':
          return Response.json({
            issuer: options.multiTenant ? `${base}/{tenantid}/v2.0` : base,
            authorization_endpoint: `${base}/authorize`,
            token_endpoint: `${base}/token`,
            jwks_uri: `${base}/jwks`,
          });
        case '/jwks':
          return Response.json({ keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: 'ES256', use: 'sig' }] });
        case '/authorize':
          return authorize(url.searchParams);
        case '/token':
          return token(request);
        default:
          return new Response('not found', { status: 404 });
      }
    },
  });
  base = `http://127.0.0.1:${server.port}`;

  const provider: FakeOidcProvider = {
    url: base,
    defect: 'none',
    claims: { sub: 'sub-pat', oid: 'oid-pat', tid: options.tenant, email: 'pat@contoso.test', name: 'Pat Example' },
    async [Symbol.asyncDispose]() {
      await server.stop(true);
    },
  };

  function authorize(params: URLSearchParams): Response {
    const redirectUri = params.get('redirect_uri');
    const challenge = params.get('code_challenge');
    if (params.get('client_id') !== options.clientId || !redirectUri || params.get('code_challenge_method') !== 'S256' || !challenge) {
      return new Response('bad authorization request', { status: 400 });
    }
    const back = new URL(redirectUri);
    back.searchParams.set('state', params.get('state') ?? '');
    if (provider.defect === 'access-denied') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user declined.');
    } else {
      const code = crypto.randomUUID();
      codes.set(code, { nonce: params.get('nonce'), challenge, redirectUri });
      back.searchParams.set('code', code);
    }
    return Response.redirect(back.href, 302);
  }

  async function token(request: Request): Promise<Response> {
    const expectedAuth = `Basic ${btoa(`${options.clientId}:${options.clientSecret}`)}`;
    if (request.headers.get('authorization') !== expectedAuth) return Response.json({ error: 'invalid_client' }, { status: 401 });
    const form = new URLSearchParams(await request.text());
    const pending = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    if (!pending || form.get('redirect_uri') !== pending.redirectUri || s256(verifier) !== pending.challenge) {
      return Response.json({ error: 'invalid_grant' }, { status: 400 });
    }
    return Response.json({ access_token: 'unused', token_type: 'Bearer', expires_in: 600, id_token: await idToken(pending.nonce) });
  }

  async function idToken(nonce: string | null): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const tid = provider.defect === 'other-tenant' ? 'tenant-b' : provider.claims.tid;
    const claims: JWTPayload = {
      ...provider.claims,
      tid,
      iss: options.multiTenant ? `${base}/${tid}/v2.0` : base,
      aud: options.clientId,
      nonce: nonce ?? undefined,
      iat: now,
      exp: now + 600,
    };
    let key: CryptoKey = privateKey;
    switch (provider.defect) {
      case 'no-nonce':
        delete claims.nonce;
        break;
      case 'wrong-nonce':
        claims.nonce = 'a-nonce-from-another-attempt';
        break;
      case 'wrong-audience':
        claims.aud = 'another-application';
        break;
      case 'wrong-issuer':
        claims.iss = 'https://issuer.evil.test';
        break;
      case 'expired':
        claims.iat = now - 7200;
        claims.exp = now - 3600;
        break;
      case 'other-key':
        // Same key id, so the app finds "the" key and the signature itself must fail.
        key = other.privateKey;
        break;
    }
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: KID, typ: 'JWT' }).sign(key);
  }

  return provider;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
