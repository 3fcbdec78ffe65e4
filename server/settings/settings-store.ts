/** A person's own settings, kept on their user row. */
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { LOCALES, type Locale, type SettingsDto, type ThemeChoice } from '../../shared/settings.ts';
import { DomainError } from '../domain-error.ts';

interface SettingsRow {
  customInstructions: string;
  theme: ThemeChoice;
  locale: string | null;
}

export class SettingsStore {
  constructor(private readonly db: AppDatabase) {}

  private get columns() {
    const { users } = this.db.tables;
    return { customInstructions: users.customInstructions, theme: users.theme, locale: users.locale };
  }

  async get(userId: string): Promise<SettingsDto> {
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle.select(this.columns).from(users).where(eq(users.id, userId));
    return settingsOf(row);
  }

  /** Applies from each chat's next run on; empty clears them. */
  async setInstructions(userId: string, customInstructions: string): Promise<SettingsDto> {
    return this.update(userId, { customInstructions });
  }

  async update(userId: string, changes: Partial<SettingsDto>): Promise<SettingsDto> {
    const { users } = this.db.tables;
    const [row] = await this.db.drizzle
      .update(users)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning(this.columns);
    return settingsOf(row);
  }
}

/** A signed-in caller always has a row; none means the person was removed meanwhile. */
function settingsOf(row: SettingsRow | undefined): SettingsDto {
  if (!row) throw new DomainError('not_found', 'No such person: sign in again.');
  return { customInstructions: row.customInstructions, theme: row.theme, locale: localeOf(row.locale) };
}

/** The column takes any BCP 47 tag; one this build has no catalogue for follows the browser. */
function localeOf(tag: string | null): Locale | null {
  return LOCALES.find((locale) => locale === tag) ?? null;
}
