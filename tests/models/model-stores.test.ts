/**
 * The model catalogue and usage on SQLite and PostgreSQL: the LLM_* seed written once however many
 * instances start, one default at most, a chat's choice cleared when its model is removed, a new
 * chat started on its owner's last choice while they may use it, and usage summed per person, model
 * and day, concurrent answers all counted.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { ChatStore } from '../../server/chats/chat-store.ts';
import type { Config } from '../../server/config.ts';
import { TokenCipher } from '../../server/crypto/token-cipher.ts';
import { ChatModels } from '../../server/agent/chat-models.ts';
import { createLogger } from '../../server/log.ts';
import { ModelCatalogue, SEEDED_MODEL_ID } from '../../server/models/model-catalogue.ts';
import { ModelStore } from '../../server/models/model-store.ts';
import { UsageStore } from '../../server/models/usage-store.ts';
import { backends } from '../db/backends.ts';

const llm: Config['llm'] = {
  provider: 'openai',
  baseUrl: 'http://127.0.0.1:9/v1',
  apiKey: 'sk-settings',
  model: 'settings-model',
  tokenScope: undefined,
  timeoutMs: 60_000,
  acceptsImages: false,
  turnStartConcurrency: 4,
};

for (const backend of backends) {
  describe(`models on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    let catalogue: ModelCatalogue;
    const cipher = new TokenCipher(crypto.getRandomValues(Buffer.alloc(32)));
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
      catalogue = new ModelCatalogue(new ModelStore(db), cipher, createLogger('error'));
    });
    afterAll(() => dispose());

    const person = async (name: string) =>
      (
        await new DrizzleUserStore(db).upsertOnSignIn(
          { issuer: 'https://idp.test', subject: `${name}-${crypto.randomUUID()}`, tenantId: null, email: `${name}@example.test`, name },
          new Date(),
        )
      ).id;

    test('instances starting together seed the settings model once, as the default, its key sealed', async () => {
      await Promise.all([catalogue.seed(llm), catalogue.seed(llm), catalogue.seed(llm)]);
      const rows = await catalogue.list();
      expect(rows.map((r) => [r.id, r.name, r.isDefault])).toEqual([[SEEDED_MODEL_ID, 'settings-model', true]]);
      expect(rows[0]!.apiKey).not.toContain('sk-settings');
      expect(catalogue.settingsOf(rows[0]!.id, rows[0]!)).toMatchObject({ apiKey: 'sk-settings', model: 'settings-model' });
    });

    test('one default at most: the newest default wins', async () => {
      const other = await catalogue.create({ name: 'Other', provider: 'demo', isDefault: true });
      expect((await catalogue.list()).filter((r) => r.isDefault).map((r) => r.id)).toEqual([other.id]);
      await catalogue.update(SEEDED_MODEL_ID, { isDefault: true });
      expect((await catalogue.list()).filter((r) => r.isDefault).map((r) => r.id)).toEqual([SEEDED_MODEL_ID]);
    });

    test('a chat that chose a removed model goes back to none (the default)', async () => {
      const owner = await person('chooser');
      const chat = await new ChatStore(db).create(owner, { title: 'Choosy' });
      const chosen = await catalogue.create({ name: 'Short-lived', provider: 'demo' });
      const { chats } = db.tables;
      await db.drizzle.update(chats).set({ modelId: chosen.id }).where(eq(chats.id, chat.id));
      await catalogue.delete(chosen.id);
      const [row] = await db.drizzle.select({ modelId: chats.modelId }).from(chats).where(eq(chats.id, chat.id));
      expect(row).toEqual({ modelId: null });
    });

    test('a new chat starts on the model of its owner’s most recently used chat, while they may use it', async () => {
      const models = new ChatModels({
        db,
        catalogue,
        usage: new UsageStore(db),
        config: { llm, auth: {} as Config['auth'] },
        isConfiguredAdmin: () => false,
        log: createLogger('error'),
      });
      const store = new ChatStore(db);
      const [cleo, dan] = [await person('cleo'), await person('dan')];
      const chosen = await catalogue.create({ name: 'Chosen', provider: 'demo' });
      const adminsOnly = await catalogue.create({ name: 'Admins only', provider: 'demo', allowedRoles: ['admin'] });
      expect(await models.startingModel(cleo)).toBeNull();

      // Last used a minute apart, so that which is the most recent does not hang on the clock's resolution.
      const { chats } = db.tables;
      const usedAt = async (title: string, modelId: string, minutes: number) => {
        const chat = await store.create(cleo, { title, modelId });
        await db.drizzle
          .update(chats)
          .set({ updatedAt: new Date(Date.now() + minutes * 60_000) })
          .where(eq(chats.id, chat.id));
      };
      await usedAt('Older', adminsOnly.id, -2);
      await usedAt('Newer', chosen.id, -1);
      expect(await models.startingModel(cleo)).toBe(chosen.id);
      expect(await models.startingModel(dan)).toBeNull();
      const started = await store.create(cleo, { modelId: await models.startingModel(cleo) });
      expect(started.modelId).toBe(chosen.id);

      // A model their role may not use is not theirs to start on.
      await usedAt('Newest', adminsOnly.id, 1);
      expect(await models.startingModel(cleo)).toBeNull();
    });

    test('usage is summed per person, model and day, every concurrent answer counted', async () => {
      const usage = new UsageStore(db);
      const [ann, bob] = [await person('ann'), await person('bob')];
      const at = new Date('2026-03-01T23:59:00Z');
      const answer = (userId: string, modelId: string, when = at) =>
        usage.add({ userId, modelId, modelName: `Model ${modelId}`, inputTokens: 10, outputTokens: 3, at: when });
      await Promise.all(Array.from({ length: 5 }, () => answer(ann, 'm1')));
      await answer(ann, 'm2');
      await answer(bob, 'm1', new Date('2026-03-02T00:01:00Z'));
      await answer(bob, 'm1', new Date('2026-03-05T12:00:00Z'));
      const rows = await usage.between('2026-03-01', '2026-03-02');
      expect(rows.map((r) => [r.day, r.user.name, r.modelId, r.answers, r.inputTokens, r.outputTokens])).toEqual([
        ['2026-03-01', 'ann', 'm1', 5, 50, 15],
        ['2026-03-01', 'ann', 'm2', 1, 10, 3],
        ['2026-03-02', 'bob', 'm1', 1, 10, 3],
      ]);
    });
  });
}
