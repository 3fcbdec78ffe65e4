/**
 * One sign-in attempt from start to verified identity. `begin` makes the provider URL and the
 * values the callback must see again (state, nonce, PKCE verifier, where to return), which ride
 * in a short-lived HttpOnly cookie; `complete` checks the callback against them, exchanges the
 * code and verifies the id_token, and hands back the person's access and refresh tokens with the
 * verified identity. Nothing is stored server-side until the identity is proven.
 */
import { z } from 'zod';
import { SignInError } from './errors.ts';
import type { IdTokenVerifier } from './id-token.ts';
import type { OAuthClient, ProviderTokens } from './oauth-client.ts';
import type { SignInProfile } from './users-store.ts';

const pendingSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(1),
  returnTo: z.string(),
});

const badResponse = (detail: string) => new SignInError(400, 'Sign-in failed', `${detail} Start again from the app.`);

export class SignInFlow {
  constructor(
    private readonly oauth: OAuthClient,
    private readonly idTokens: IdTokenVerifier,
  ) {}

  async begin(returnTo: string | null): Promise<{ redirectTo: URL; cookieValue: string }> {
    const { url, pending } = await this.oauth.authorizationUrl();
    const cookieValue = Buffer.from(JSON.stringify({ ...pending, returnTo: safeReturnTo(returnTo) })).toString('base64url');
    return { redirectTo: url, cookieValue };
  }

  async complete(
    query: URLSearchParams,
    cookieValue: string | undefined,
  ): Promise<{ profile: SignInProfile; tokens: ProviderTokens; returnTo: string }> {
    const providerError = query.get('error');
    if (providerError) {
      const description = query.get('error_description');
      throw new SignInError(
        400,
        'Sign-in was not completed',
        `The identity provider answered: ${description ? `${providerError} (${description})` : providerError}.`,
      );
    }
    const pending = decodePending(cookieValue);
    if (!pending) throw badResponse('This sign-in attempt has expired, or the browser did not keep its cookie.');
    if (query.get('state') !== pending.state) {
      throw badResponse("The response does not belong to this browser's sign-in attempt (state mismatch).");
    }
    const code = query.get('code');
    if (!code) throw badResponse('The identity provider sent no authorization code.');
    const { idToken, ...tokens } = await this.oauth.exchangeCode(code, pending.codeVerifier);
    const profile = await this.idTokens.verify(idToken, pending.nonce);
    return { profile, tokens, returnTo: pending.returnTo };
  }
}

function decodePending(cookieValue: string | undefined) {
  if (!cookieValue) return undefined;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(Buffer.from(cookieValue, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Only a path on this server: `/chats/1?x` passes; `https://evil.test`, `//evil.test`,
 * `/\evil.test` and anything with control characters become `/` (no open redirect).
 */
export function safeReturnTo(raw: string | null): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a control character in a return path is refused on purpose
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\u0000-\u001f\u007f]/.test(raw)) return '/';
  const base = 'http://countersign.invalid';
  const url = new URL(raw, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}
