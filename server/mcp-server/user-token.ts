/**
 * Tokens that tell the internal MCP server which user is calling. The backend signs one for a
 * user's MCP handler; the internal server accepts nothing else, so it never sees the user's
 * sign-in token. The key lives only in this process: tokens last five minutes and the handler
 * mints a fresh one before that, so a restart costs nothing but new sessions.
 */
import { jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'countersign-mcp';
const ISSUER = 'countersign';
const LIFETIME_SECONDS = 5 * 60;

export interface SignedToken {
  token: string;
  /** Unix milliseconds. */
  expiresAt: number;
}

export class McpUserTokens {
  readonly #key = crypto.getRandomValues(new Uint8Array(32));

  async sign(userId: string): Promise<SignedToken> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + LIFETIME_SECONDS)
      .sign(this.#key);
    return { token, expiresAt: (now + LIFETIME_SECONDS) * 1000 };
  }

  /** The user id, or undefined for anything not signed by this process, expired, or meant for another audience. */
  async verify(token: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp'],
      });
      return payload.sub;
    } catch {
      return undefined;
    }
  }
}
