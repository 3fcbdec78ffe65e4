/**
 * Where users live. Callers see only these async methods, never tables, so a PostgreSQL
 * store can implement the same interface.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Drizzle } from '../../db/database.ts';
import { users, type Role } from '../../db/schema.ts';

export interface StoredUser {
  id: string;
  issuer: string;
  subject: string;
  tenantId: string | null;
  email: string | null;
  name: string | null;
  role: Role;
  disabled: boolean;
  lastSignInAt: Date | null;
}

/** What an identity provider tells us about a person at sign-in. */
export interface SignInProfile {
  issuer: string;
  subject: string;
  tenantId: string | null;
  email: string | null;
  name: string | null;
}

export interface UserStore {
  findById(id: string): Promise<StoredUser | undefined>;
  findByIdentity(issuer: string, subject: string): Promise<StoredUser | undefined>;
  /** Creates the user on first sign-in; afterwards refreshes the profile and the sign-in time. */
  upsertOnSignIn(profile: SignInProfile, at: Date): Promise<StoredUser>;
  /** False when no such user exists. */
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
  setRole(id: string, role: Role): Promise<boolean>;
}

const columns = {
  id: users.id,
  issuer: users.issuer,
  subject: users.subject,
  tenantId: users.tenantId,
  email: users.email,
  name: users.name,
  role: users.role,
  disabled: users.disabled,
  lastSignInAt: users.lastSignInAt,
};

export class DrizzleUserStore implements UserStore {
  constructor(private readonly db: Drizzle) {}

  async findById(id: string): Promise<StoredUser | undefined> {
    const [row] = await this.db.select(columns).from(users).where(eq(users.id, id));
    return row;
  }

  async findByIdentity(issuer: string, subject: string): Promise<StoredUser | undefined> {
    const [row] = await this.db
      .select(columns)
      .from(users)
      .where(and(eq(users.issuer, issuer), eq(users.subject, subject)));
    return row;
  }

  async upsertOnSignIn(profile: SignInProfile, at: Date): Promise<StoredUser> {
    const [row] = await this.db
      .insert(users)
      .values({ id: crypto.randomUUID(), ...profile, lastSignInAt: at })
      .onConflictDoUpdate({
        target: [users.issuer, users.subject],
        set: {
          tenantId: profile.tenantId,
          email: profile.email,
          name: profile.name,
          lastSignInAt: at,
          updatedAt: sql`(unixepoch('subsec') * 1000)`,
        },
      })
      .returning(columns);
    if (!row) throw new Error('upserting the signed-in user returned no row');
    return row;
  }

  async setDisabled(id: string, disabled: boolean): Promise<boolean> {
    const changed = await this.db
      .update(users)
      .set({ disabled, updatedAt: sql`(unixepoch('subsec') * 1000)` })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    return changed.length > 0;
  }

  async setRole(id: string, role: Role): Promise<boolean> {
    const changed = await this.db
      .update(users)
      .set({ role, updatedAt: sql`(unixepoch('subsec') * 1000)` })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    return changed.length > 0;
  }
}
