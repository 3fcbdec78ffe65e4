/** A person's own stricter tool settings. */
import { and, eq, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { PersonalPolicy } from '../../shared/servers.ts';
import { personalKey } from './tool-view.ts';

export class PreferenceStore {
  // Read at every turn start (the agent's chat settings), so built and prepared once.
  readonly #forUser;

  constructor(private readonly db: AppDatabase) {
    const { userToolPreferences } = db.tables;
    this.#forUser = db.drizzle
      .select({ serverId: userToolPreferences.serverId, toolName: userToolPreferences.toolName, policy: userToolPreferences.policy })
      .from(userToolPreferences)
      .where(eq(userToolPreferences.userId, sql.placeholder('userId')))
      .prepare();
  }

  /** Keyed by `personalKey(serverId, toolName)`, as the agent reads them. */
  async forUser(userId: string): Promise<Map<string, PersonalPolicy>> {
    const rows = await this.#forUser.execute({ userId });
    return new Map(rows.map((r) => [personalKey(r.serverId, r.toolName), r.policy]));
  }

  /** `null` removes the setting, leaving the admin's policy in force. */
  async set(userId: string, serverId: string, toolName: string, policy: PersonalPolicy | null): Promise<void> {
    const { userToolPreferences } = this.db.tables;
    const key = and(
      eq(userToolPreferences.userId, userId),
      eq(userToolPreferences.serverId, serverId),
      eq(userToolPreferences.toolName, toolName),
    );
    if (policy === null) {
      await this.db.drizzle.delete(userToolPreferences).where(key);
      return;
    }
    await this.db.drizzle
      .insert(userToolPreferences)
      .values({ userId, serverId, toolName, policy })
      .onConflictDoUpdate({
        target: [userToolPreferences.userId, userToolPreferences.serverId, userToolPreferences.toolName],
        set: { policy, updatedAt: new Date() },
      });
  }
}
