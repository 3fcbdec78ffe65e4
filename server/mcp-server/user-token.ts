/**
 * Tokens that tell the internal MCP server which user is calling. The backend signs one for a
 * user's MCP handler; the internal server accepts nothing else, so it never sees the user's
 * sign-in token. The key comes from the database (cluster/instance-secrets.ts), so every instance
 * signs and verifies with the same one: a token minted on A is good on B. Tokens last five
 * minutes and the handler mints a fresh one before that.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { AppDatabase } from '../../db/database.ts';
import { sharedSecret } from '../cluster/instance-secrets.ts';

const AUDIENCE = 'countersign-mcp';
const ISSUER = 'countersign';
const LIFETIME_SECONDS = 5 * 60;
/** The name of the signing key among the secrets every instance shares through the database. */
const SHARED_KEY_NAME = 'mcp-user-token-key';

export interface SignedToken {
  token: string;
  /** Unix milliseconds. */
  expiresAt: number;
}

export class McpUserTokens {
  #key: Promise<Uint8Array> | undefined;

  /** `loadKey` is asked once (again only after it failed); without it, a key of this object's own. */
  constructor(private readonly loadKey: () => Promise<Uint8Array> = async () => crypto.getRandomValues(new Uint8Array(32))) {}

  async sign(userId: string): Promise<SignedToken> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + LIFETIME_SECONDS)
      .sign(await this.#signingKey());
    return { token, expiresAt: (now + LIFETIME_SECONDS) * 1000 };
  }

  /** The user id, or undefined for anything not signed with this key, expired, or meant for another audience. */
  async verify(token: string): Promise<string | undefined> {
    const key = await this.#signingKey();
    try {
      const { payload } = await jwtVerify(token, key, {
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

  #signingKey(): Promise<Uint8Array> {
    this.#key ??= this.loadKey().catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }
}

/** The tokens every instance on this database signs and accepts alike. */
export function sharedUserTokens(db: AppDatabase): McpUserTokens {
  return new McpUserTokens(() => sharedSecret(db, SHARED_KEY_NAME));
}
