/**
 * Where each person's sign-in tokens live (identity_tokens): access and refresh token sealed with
 * the token cipher and bound to their owner, so a row copied onto another person does not open.
 * The expiry stays in the clear, to decide on a refresh without opening anything. A row goes with
 * its user (foreign key), not with a sign-out: the person's running chats still act for them.
 */
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { ProviderTokens } from './oauth-client.ts';

type SealedPart = Pick<ProviderTokens, 'accessToken' | 'refreshToken'>;

const context = (userId: string) => `identity-tokens:${userId}`;

export class IdentityTokenStore {
  constructor(
    private readonly db: AppDatabase,
    private readonly cipher: TokenCipher,
  ) {}

  async get(userId: string): Promise<ProviderTokens | undefined> {
    const { identityTokens: t } = this.db.tables;
    const [row] = await this.db.drizzle.select({ tokens: t.tokens, expiresAt: t.expiresAt }).from(t).where(eq(t.userId, userId));
    if (!row) return undefined;
    const { accessToken, refreshToken } = JSON.parse(this.cipher.open(row.tokens, context(userId))) as SealedPart;
    return { accessToken, refreshToken, expiresAt: row.expiresAt };
  }

  async save(userId: string, { accessToken, refreshToken, expiresAt }: ProviderTokens): Promise<void> {
    const { identityTokens: t } = this.db.tables;
    const sealed: SealedPart = { accessToken, refreshToken };
    const values = { tokens: this.cipher.seal(JSON.stringify(sealed), context(userId)), expiresAt, updatedAt: new Date() };
    await this.db.drizzle
      .insert(t)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: t.userId, set: values });
  }

  async delete(userId: string): Promise<void> {
    const { identityTokens: t } = this.db.tables;
    await this.db.drizzle.delete(t).where(eq(t.userId, userId));
  }
}
