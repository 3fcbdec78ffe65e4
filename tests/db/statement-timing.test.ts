/**
 * Each statement the stores send through drizzle has its time reported to whoever listens (slow
 * ones become spans): its text with placeholders, never the values; a failing one too; and with
 * nobody listening, nothing is timed. Both databases.
 */
import { describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { onStatement } from '../../db/statement-timing.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { backends } from './backends.ts';

for (const backend of backends) {
  describe(`statements on ${backend.name}`, () => {
    test('each is reported with its text and time, a failing one too; the values stay out', async () => {
      const { db, dispose } = await backend.open();
      try {
        const { users } = db.tables;
        const reported: { statement: string; seconds: number }[] = [];
        await db.drizzle.select().from(users).where(eq(users.email, 'unheard@example.test'));
        onStatement(db.statements, (statement, seconds) => reported.push({ statement, seconds }));
        expect(reported).toEqual([]);

        const profile = { issuer: 'https://idp.test', subject: 'timed', tenantId: null, email: 'timed@example.test', name: 'Tim' };
        const tim = await new DrizzleUserStore(db).upsertOnSignIn(profile, new Date());
        const [found] = await db.drizzle.select({ id: users.id }).from(users).where(eq(users.email, 'timed@example.test'));
        expect(found?.id).toBe(tim.id);
        const before = reported.length;
        const duplicate = db.drizzle.insert(users).values({ id: tim.id, issuer: 'https://idp.test', subject: 'again' });
        await expect(Promise.resolve(duplicate)).rejects.toThrow();
        expect(reported).toHaveLength(before + 1);

        expect(reported.some(({ statement }) => /^insert into "users"/i.test(statement))).toBe(true);
        expect(reported.some(({ statement }) => /^select "id" from "users" where "users"\."email" = /i.test(statement))).toBe(true);
        for (const { statement, seconds } of reported) {
          expect(seconds).toBeGreaterThanOrEqual(0);
          expect(statement).not.toContain('timed@example.test');
        }
      } finally {
        await dispose();
      }
    });
  });
}
