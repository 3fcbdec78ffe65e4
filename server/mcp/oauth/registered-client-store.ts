/**
 * The client Countersign registered at a server's authorisation server (dynamic client
 * registration, or the URL of its Client ID Metadata Document), shared by everyone who signs in
 * there, per issuer: a server that moves to another authorisation server gets a new registration.
 */
import { and, eq } from 'drizzle-orm';
import type { OAuthClientInformationMixed } from '@modelcontextprotocol/client';
import type { AppDatabase } from '../../../db/database.ts';
import type { TokenCipher } from '../../crypto/token-cipher.ts';

const context = (serverId: string, issuer: string) => `mcp-oauth-client:${serverId}:${issuer}`;

export class RegisteredClientStore {
  constructor(
    private readonly db: AppDatabase,
    private readonly cipher: TokenCipher,
  ) {}

  async get(serverId: string, issuer: string): Promise<OAuthClientInformationMixed | undefined> {
    const { mcpOauthClients: t } = this.db.tables;
    const [row] = await this.db.drizzle
      .select({ client: t.client })
      .from(t)
      .where(and(eq(t.serverId, serverId), eq(t.issuer, issuer)));
    return row && JSON.parse(this.cipher.open(row.client, context(serverId, issuer)));
  }

  async save(serverId: string, issuer: string, client: OAuthClientInformationMixed): Promise<void> {
    const { mcpOauthClients: t } = this.db.tables;
    const sealed = this.cipher.seal(JSON.stringify(client), context(serverId, issuer));
    await this.db.drizzle
      .insert(t)
      .values({ serverId, issuer, client: sealed })
      .onConflictDoUpdate({ target: [t.serverId, t.issuer], set: { client: sealed } });
  }

  async delete(serverId: string, issuer?: string): Promise<void> {
    const { mcpOauthClients: t } = this.db.tables;
    await this.db.drizzle.delete(t).where(issuer ? and(eq(t.serverId, serverId), eq(t.issuer, issuer)) : eq(t.serverId, serverId));
  }
}
