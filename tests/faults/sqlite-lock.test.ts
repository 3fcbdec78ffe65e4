/**
 * Another process holds the SQLite write lock for about a second (a backup tool, a migration, an
 * admin's sqlite3 shell). Requests made meanwhile wait for it (busy_timeout) and then succeed;
 * nothing either side wrote is lost.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import { finalState, follow, newChat, startFaultKit, type FaultKit } from './support.ts';

let kit: FaultKit;
beforeAll(async () => {
  kit = await startFaultKit();
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

/** Starts the lock holder and resolves once it holds the lock. */
async function holdWriteLock(file: string, ms: number) {
  const holder = Bun.spawn([process.execPath, join(import.meta.dir, 'fixtures/hold-write-lock.ts'), file, String(ms)], {
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const lines: string[] = [];
  const reader = holder.stdout.getReader();
  const decoder = new TextDecoder();
  while (!lines.includes('locked')) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the lock holder exited early: ${await new Response(holder.stderr).text()}`);
    lines.push(...decoder.decode(value).split('\n').filter(Boolean));
  }
  const rest = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) lines.push(decoder.decode(chunk.value));
    return lines.join('\n');
  })();
  return { exited: holder.exited, output: () => rest };
}

test('the database locked by another process for a second: requests wait, then succeed, and nothing is lost', async () => {
  const api = kit.person.client.api;
  const chat = await newChat(kit.person);
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  kit.model.script({ kind: 'text', text: 'Answered after the lock.' });

  const holder = await holdWriteLock(kit.server.config.databasePath, 1_000);
  const during = await Promise.allSettled([
    api.chats.create.mutate({ title: 'Made during the lock 1' }),
    api.chats.create.mutate({ title: 'Made during the lock 2' }),
    api.chats.rename.mutate({ chatId: chat.id, title: 'Renamed during the lock' }),
    api.chats.send.mutate({ chatId: chat.id, text: 'Written during the lock' }),
    api.chats.list.query({}),
  ]);
  expect(await holder.exited).toBe(0);
  expect(await holder.output()).toContain('released');

  expect(during.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  const titles = (await api.chats.list.query({})).items.map((c) => c.title);
  expect(titles).toEqual(expect.arrayContaining(['Made during the lock 1', 'Made during the lock 2', 'Renamed during the lock']));
  const { history } = await api.chats.get.query({ chatId: chat.id });
  expect(history.messages.map((m) => m.text)).toEqual(['Written during the lock', 'Answered after the lock.']);
  const holderRows = kit.server.db.sqlite.query<{ n: number }, []>('SELECT count(*) AS n FROM lock_holder_writes').get();
  expect(holderRows?.n).toBe(1);
  expect((await fetch(`${kit.server.url}/healthz`)).status).toBe(200);
}, 60_000);
