/** Where users live: callers see only these async methods, never tables. */
import { and, eq } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';

export interface StoredUser {
  id: string;
  issuer: string;
  subject: string;
  tenantId: string | null;
  email: string | null;
  name: string | null;
  role: Role;
  disabled: boolean;
  /** As the ID token named them at the latest sign-in. */
  groups: string[];
  lastSignInAt: Date | null;
}

/** What an identity provider tells us about a person at sign-in. */
export interface SignInProfile {
  issuer: string;
  subject: string;
  tenantId: string | null;
  email: string | null;
  name: string | null;
  /** The token's groups (group-claim.ts); absent: none. */
  groups?: string[];
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

function columnsOf(users: Tables['users']) {
  return {
    id: users.id,
    issuer: users.issuer,
    subject: users.subject,
    tenantId: users.tenantId,
    email: users.email,
    name: users.name,
    role: users.role,
    disabled: users.disabled,
    groups: users.groups,
    lastSignInAt: users.lastSignInAt,
  };
}

export class DrizzleUserStore implements UserStore {
  readonly #columns;

  constructor(private readonly db: AppDatabase) {
    this.#columns = columnsOf(db.tables.users);
  }

  async findById(id: string): Promise<StoredUser | undefined> {
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle.select(this.#columns).from(users).where(eq(users.id, id));
    return row;
  }

  async findByIdentity(issuer: string, subject: string): Promise<StoredUser | undefined> {
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle
      .select(this.#columns)
      .from(users)
      .where(and(eq(users.issuer, issuer), eq(users.subject, subject)));
    return row;
  }

  async upsertOnSignIn(profile: SignInProfile, at: Date): Promise<StoredUser> {
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle
      .insert(users)
      .values({ id: crypto.randomUUID(), ...profile, groups: profile.groups ?? [], lastSignInAt: at })
      .onConflictDoUpdate({
        target: [users.issuer, users.subject],
        set: {
          tenantId: profile.tenantId,
          email: profile.email,
          name: profile.name,
          groups: profile.groups ?? [],
          lastSignInAt: at,
          updatedAt: new Date(),
        },
      })
      .returning(this.#columns);
    if (!row) throw new Error('upserting the signed-in user returned no row');
    return row;
  }

  async setDisabled(id: string, disabled: boolean): Promise<boolean> {
    const { users } = this.db.tables;
    const changed = await this.db.drizzle
      .update(users)
      .set({ disabled, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    return changed.length > 0;
  }

  async setRole(id: string, role: Role): Promise<boolean> {
    const { users } = this.db.tables;
    const changed = await this.db.drizzle
      .update(users)
      .set({ role, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    return changed.length > 0;
  }
}
