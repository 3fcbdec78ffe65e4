/**
 * The settings store on SQLite and on PostgreSQL: a person's theme and language start as "follow
 * the system/browser", are read back as set, and never touch anyone else's row.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { AppDatabase } from '../../db/database.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { SettingsStore } from '../../server/settings/settings-store.ts';
import { backends } from '../db/backends.ts';

for (const backend of backends) {
  describe(`settings on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
    });
    afterAll(() => dispose());

    const person = async (name: string) =>
      (
        await new DrizzleUserStore(db).upsertOnSignIn(
          { issuer: 'https://idp.test', subject: `${name}-${crypto.randomUUID()}`, tenantId: null, email: null, name },
          new Date(),
        )
      ).id;

    test('theme and language follow the system until chosen, are kept as chosen, and are only the person’s own', async () => {
      const settings = new SettingsStore(db);
      const [ada, bo] = [await person('Ada'), await person('Bo')];
      expect(await settings.get(ada)).toEqual({ customInstructions: '', theme: 'system', locale: null });

      expect(await settings.update(ada, { theme: 'dark' })).toEqual({ customInstructions: '', theme: 'dark', locale: null });
      expect(await settings.update(ada, { locale: 'de' })).toEqual({ customInstructions: '', theme: 'dark', locale: 'de' });
      await settings.setInstructions(ada, 'Be brief.');
      expect(await settings.get(ada)).toEqual({ customInstructions: 'Be brief.', theme: 'dark', locale: 'de' });
      expect(await settings.get(bo)).toEqual({ customInstructions: '', theme: 'system', locale: null });

      expect(await settings.update(ada, { locale: null, theme: 'system' })).toEqual({
        customInstructions: 'Be brief.',
        theme: 'system',
        locale: null,
      });
    });
  });
}
