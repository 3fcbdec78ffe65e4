/**
 * CPU per call of the database reads and writes on a turn's path (chat settings, chat lookup,
 * touch), on a throwaway SQLite file: a micro-benchmark for turn-start.ts's findings.
 *
 *   bun bench/db-calls.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../db/database.ts';
import { DatabaseChatSettings } from '../server/agent/chat-settings.ts';
import { DrizzleUserStore } from '../server/auth/users-store.ts';
import { ChatStore } from '../server/chats/chat-store.ts';

const CALLS = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'countersign-db-calls-'));
const db = openSqliteDatabase(join(dir, 'app.sqlite'));
const users = new DrizzleUserStore(db);
const store = new ChatStore(db);
const settings = new DatabaseChatSettings(db);
const rows: { userId: string; chatId: string; threadId: string }[] = [];
for (let i = 0; i < 200; i++) {
  const user = await users.upsertOnSignIn(
    { issuer: 'http://bench.invalid', subject: `s${i}`, tenantId: null, email: `s${i}@bench.invalid`, name: 's' },
    new Date(),
  );
  const chat = await store.create(user.id, { title: 'bench' });
  rows.push({ userId: user.id, chatId: chat.id, threadId: chat.threadId });
}

async function time(name: string, call: (row: (typeof rows)[number]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 2_000; i++) await call(rows[i % rows.length]!);
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await call(rows[i % rows.length]!);
  const used = process.cpuUsage(before);
  console.log(`${name.padEnd(24)} ${((used.user + used.system) / CALLS).toFixed(1)} µs CPU a call`);
}

await time('turnContext', (r) => settings.turnContext(r.userId, r.threadId));
await time('ChatStore.get', (r) => store.get(r.userId, r.chatId));
await time('ChatStore.touch', (r) => store.touch(r.chatId));
db.close();
rmSync(dir, { recursive: true, force: true });
