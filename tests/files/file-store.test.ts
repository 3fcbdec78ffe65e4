/**
 * Attached files in the application database, on SQLite and on PostgreSQL: the bytes come back
 * exactly, only their owner reads them, a sent file stays with its message, unsent uploads are
 * swept after a day, and a chat's files go with the chat.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { ChatStore } from '../../server/chats/chat-store.ts';
import { FileStore } from '../../server/files/file-store.ts';
import { backends } from '../db/backends.ts';
import { PNG_BYTES } from './sample-files.ts';

/** Every byte value, so no encoding on the way in or out goes unnoticed. */
const ALL_BYTES = Buffer.from(Array.from({ length: 512 }, (_, at) => at % 256));

for (const backend of backends) {
  describe(`attached files on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    let files: FileStore;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
      files = new FileStore(db);
    });
    afterAll(() => dispose());

    const person = async (name: string) =>
      (
        await new DrizzleUserStore(db).upsertOnSignIn(
          { issuer: 'https://idp.test', subject: `${name}-${crypto.randomUUID()}`, tenantId: null, email: `${name}@example.test`, name },
          new Date(),
        )
      ).id;
    const chatOf = async (userId: string) => (await new ChatStore(db).create(userId, {})).id;
    const upload = (userId: string, chatId: string, name = 'data.bin', data = ALL_BYTES) =>
      files.add({ chatId, userId, name, mediaType: 'text/plain', kind: 'text', size: data.byteLength, data, text: 'the text' });

    test('the bytes come back exactly, to the chat’s owner only', async () => {
      const [ann, bob] = [await person('ann'), await person('bob')];
      const chatId = await chatOf(ann);
      const file = await upload(ann, chatId);
      expect(file).toMatchObject({ name: 'data.bin', size: 512, kind: 'text', chatId, messageId: null });
      const served = await files.served(ann, file.id);
      expect(Buffer.compare(served!.data, ALL_BYTES)).toBe(0);
      expect(await files.served(bob, file.id)).toBeUndefined();
      expect(await files.ofPerson(bob, [file.id])).toEqual([]);
      expect((await files.ofPerson(ann, [file.id])).map((f) => f.id)).toEqual([file.id]);
    });

    test('the model is given text, and an image’s bytes only when asked for', async () => {
      const ann = await person('ann');
      const chatId = await chatOf(ann);
      const text = await upload(ann, chatId, 'notes.md', Buffer.from('# Notes'));
      const image = await files.add({
        chatId,
        userId: ann,
        name: 'dot.png',
        mediaType: 'image/png',
        kind: 'image',
        size: PNG_BYTES.byteLength,
        data: Buffer.from(PNG_BYTES),
        text: null,
      });
      const withImages = await files.forModel([text.id, image.id], true);
      const byName = new Map(withImages.map((f) => [f.name, f]));
      expect(byName.get('notes.md')).toMatchObject({ kind: 'text', text: 'the text' });
      expect(byName.get('notes.md')?.data).toBeUndefined();
      expect(Buffer.compare(byName.get('dot.png')!.data!, Buffer.from(PNG_BYTES))).toBe(0);
      expect((await files.forModel([image.id], false))[0]?.data).toBeUndefined();
    });

    test('a file a message carries cannot be removed; an unsent one can, by its owner only', async () => {
      const [ann, bob] = [await person('ann'), await person('bob')];
      const chatId = await chatOf(ann);
      const sent = await upload(ann, chatId);
      const unsent = await upload(ann, chatId);
      await files.bind(chatId, [sent.id], 'message-1');
      expect(await files.removeUnsent(ann, sent.id)).toBe(false);
      expect(await files.removeUnsent(bob, unsent.id)).toBe(false);
      expect(await files.removeUnsent(ann, unsent.id)).toBe(true);
      expect((await files.ofPerson(ann, [sent.id, unsent.id])).map((f) => [f.id, f.messageId])).toEqual([[sent.id, 'message-1']]);
    });

    test('unsent uploads older than the sweep go; sent ones stay', async () => {
      const ann = await person('ann');
      const chatId = await chatOf(ann);
      const sent = await upload(ann, chatId);
      const unsent = await upload(ann, chatId);
      await files.bind(chatId, [sent.id], 'message-1');
      await files.sweepUnsent(new Date(Date.now() + 60_000));
      expect((await files.ofPerson(ann, [sent.id, unsent.id])).map((f) => f.id)).toEqual([sent.id]);
    });

    test('a deleted chat’s files go with it, and with its row', async () => {
      const ann = await person('ann');
      const [forgotten, removed] = [await chatOf(ann), await chatOf(ann)];
      const first = await upload(ann, forgotten);
      const second = await upload(ann, removed);
      await files.forgetChat(forgotten);
      expect(await files.served(ann, first.id)).toBeUndefined();
      // Foreign keys are on: removing the chat's row removes its files too.
      await db.drizzle.delete(db.tables.chats).where(eq(db.tables.chats.id, removed));
      const { chatFiles } = db.tables;
      expect(await db.drizzle.select({ id: chatFiles.id }).from(chatFiles).where(eq(chatFiles.id, second.id))).toEqual([]);
    });
  });
}
