/** A person's own settings, kept on their user row. */
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { SettingsDto } from '../../shared/settings.ts';
import { DomainError } from '../domain-error.ts';

export class SettingsStore {
  constructor(private readonly db: AppDatabase) {}

  async get(userId: string): Promise<SettingsDto> {
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle.select({ customInstructions: users.customInstructions }).from(users).where(eq(users.id, userId));
    return settingsOf(row);
  }

  /** Applies from each chat's next run on; empty clears them. */
  async setInstructions(userId: string, customInstructions: string): Promise<SettingsDto> {
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(users)
      .set({ customInstructions, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning({ customInstructions: users.customInstructions });
    return settingsOf(row);
  }
}

/** A signed-in caller always has a row; none means the person was removed meanwhile. */
function settingsOf(row: SettingsDto | undefined): SettingsDto {
  if (!row) throw new DomainError('not_found', 'No such person: sign in again.');
  return row;
}
