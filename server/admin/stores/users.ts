/**
 * What the admin console reads about users: search and paging, sessions (never their token
 * hashes) and catalogue connections; and the service accounts API tokens can act as.
 */
import { and, count, desc, eq, gt, or, sql } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../../db/database.ts';
import type { SettingsDto } from '../../../shared/settings.ts';
import { SettingsStore } from '../../settings/settings-store.ts';

/** Service accounts have no identity provider: this issuer marks them. */
export const SERVICE_ACCOUNT_ISSUER = 'countersign:service-account';

export type UserRow = Pick<
  Tables['users']['$inferSelect'],
  'id' | 'issuer' | 'subject' | 'email' | 'name' | 'role' | 'disabled' | 'groups' | 'lastSignInAt' | 'createdAt'
>;

function columnsOf(users: Tables['users']) {
  return {
    id: users.id,
    issuer: users.issuer,
    subject: users.subject,
    email: users.email,
    name: users.name,
    role: users.role,
    disabled: users.disabled,
    groups: users.groups,
    lastSignInAt: users.lastSignInAt,
    createdAt: users.createdAt,
  };
}

/** `%` and `_` typed by an admin are matched literally. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class AdminUserStore {
  readonly #columns;
  readonly #settings: SettingsStore;

  constructor(private readonly db: AppDatabase) {
    this.#columns = columnsOf(db.tables.users);
    this.#settings = new SettingsStore(db);
  }

  /** The person's own choices (language, theme), which the console follows as the web chat does. */
  settingsOf(userId: string): Promise<SettingsDto> {
    return this.#settings.get(userId);
  }

  async list(search: string | null, limit: number, offset: number): Promise<{ items: UserRow[]; totalCount: number }> {
    const { users } = this.db.tables;
    const pattern = search ? containing(search) : null;
    const where = pattern
      ? or(sql`lower(${users.email}) like ${pattern} escape '\\'`, sql`lower(${users.name}) like ${pattern} escape '\\'`)
      : undefined;
    const items = await this.db.drizzle
      .select(this.#columns)
      .from(users)
      .where(where)
      .orderBy(sql`coalesce(lower(${users.name}), lower(${users.email}), ${users.id})`, users.id)
      .limit(limit)
      .offset(offset);
    const [total] = await this.db.drizzle.select({ n: count() }).from(users).where(where);
    return { items, totalCount: total?.n ?? 0 };
  }

  async get(id: string): Promise<UserRow | undefined> {
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle.select(this.#columns).from(users).where(eq(users.id, id));
    return row;
  }

  async sessionsOf(userId: string, now: Date) {
    const { sessions } = this.db.tables;
    return this.db.drizzle
      .select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt, userAgent: sessions.userAgent })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
      .orderBy(desc(sessions.createdAt));
  }

  async connectionsOf(userId: string) {
    const { mcpConnections, mcpServers } = this.db.tables;
    return this.db.drizzle
      .select({
        serverId: mcpConnections.serverId,
        serverName: mcpServers.name,
        connectedAt: mcpConnections.connectedAt,
        lastError: mcpConnections.lastError,
      })
      .from(mcpConnections)
      .innerJoin(mcpServers, eq(mcpServers.id, mcpConnections.serverId))
      .where(eq(mcpConnections.userId, userId))
      .orderBy(mcpServers.name);
  }

  async connectedUsers(serverId: string): Promise<number> {
    const { mcpConnections } = this.db.tables;
    const [row] = await this.db.drizzle.select({ n: count() }).from(mcpConnections).where(eq(mcpConnections.serverId, serverId));
    return row?.n ?? 0;
  }

  /** The service account of that name, created on first use. */
  async serviceAccount(name: string): Promise<UserRow> {
    const subject = name.trim().toLowerCase();
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle
      .insert(users)
      .values({ id: crypto.randomUUID(), issuer: SERVICE_ACCOUNT_ISSUER, subject, name: name.trim() })
      .onConflictDoUpdate({ target: [users.issuer, users.subject], set: { subject } })
      .returning(this.#columns);
    if (!row) throw new Error('creating the service account returned no row');
    return row;
  }
}
