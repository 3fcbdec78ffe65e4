/**
 * `npm run backup` copies the SQLite databases of a running server while an answer streams in; the
 * copy opens, passes SQLite's integrity check, and holds every chat committed before it began.
 * `npm run restore` refuses while a server has the files open and refuses a copy from a newer
 * version; into a fresh data folder it puts the copy in place, and a server started there lists
 * those chats with their answers. Neither has anything to copy in memory or on PostgreSQL: both
 * say so, and what to do instead.
 */
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_FILE_NAME } from '../../server/crypto/encryption-key.ts';
import { createCountersignClient } from '../../shared/client.ts';
import { finalState, follow } from '../faults/support.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { signIn } from '../support/people.ts';
import { TEST_DATABASE_URL } from '../support/services.ts';
import { startTestServer, tempDir } from '../support/test-server.ts';
import { runScript } from './run-script.ts';
import { startMainProcess } from '../support/main-process.ts';

let model: OpenAIFixture;
const folders: string[] = [];
const folder = () => {
  const dir = tempDir('countersign-backup-');
  folders.push(dir);
  return dir;
};
beforeAll(() => {
  model = startOpenAIFixture();
});
afterAll(async () => {
  await model.stop();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const words = Array.from({ length: 120 }, (_, i) => `word${i} `);

test('a backup taken while an answer streams holds every committed chat, and restores into a server that lists them', async () => {
  const dataDir = folder();
  const backups = folder();
  const backup = join(backups, 'countersign-backup.db');
  const llm = { LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_MODEL: 'fixture-model' };
  const server = await startTestServer({ ...llm, DATA_DIR: dataDir });
  const person = await signIn(server.url, 'uma@countersign.dev');
  const api = person.client.api;
  const answered: { id: string; title: string; answer: string }[] = [];
  let streaming: { id: string; title: string };
  try {
    for (const n of [1, 2, 3]) {
      const chat = await api.chats.create.mutate({ title: `Answered ${n}`, enabledServers: [] });
      const followed = await follow(person, chat.id);
      model.script({ kind: 'text', text: `Answer number ${n}.` });
      await api.chats.send.mutate({ chatId: chat.id, text: `Question ${n}` });
      expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
      followed.unsubscribe();
      answered.push({ id: chat.id, title: chat.title, answer: `Answer number ${n}.` });
    }
    streaming = await api.chats.create.mutate({ title: 'Streaming during the backup', enabledServers: [] });
    const followed = await follow(person, streaming.id);
    model.script({ kind: 'text', text: words.join(''), tokens: words, delayMs: 25 });
    await api.chats.send.mutate({ chatId: streaming.id, text: 'Tell me a long story.' });
    await followed.recorder.until((e) => e.type === 'token' && e.delta === 'word2 ');

    const made = await runScript('backup', [backup], { DATA_DIR: dataDir });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`wrote ${backup}: the app database`);
    expect(made.stdout).toContain(KEY_FILE_NAME);
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();

    const copy = new Database(backup, { readonly: true });
    try {
      expect(copy.query<{ integrity_check: string }, []>('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      const titles = copy
        .query<{ title: string }, []>('SELECT title FROM chats ORDER BY title')
        .all()
        .map((row) => row.title);
      expect(titles).toEqual(['Answered 1', 'Answered 2', 'Answered 3', 'Streaming during the backup']);
    } finally {
      copy.close();
    }

    const again = await runScript('backup', [backup], { DATA_DIR: dataDir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${backup} already exists: a backup never overwrites one`);
    const busy = await runScript('restore', [backup], { DATA_DIR: dataDir });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('is open in another process');
    expect(busy.stderr).toContain('stop the server');
  } finally {
    await person.client.close();
    await server.stop();
  }

  const restoredDir = folder();
  const restored = await runScript('restore', [backup], { DATA_DIR: restoredDir });
  expect(restored.stderr).toBe('');
  expect(restored.code).toBe(0);
  expect(restored.stdout).toContain(`restored the app database ${join(restoredDir, 'countersign.db')} from ${backup}`);
  expect(restored.stdout).toContain(`put back ${join(restoredDir, KEY_FILE_NAME)}`);
  copyFileSync(join(dataDir, KEY_FILE_NAME), join(restoredDir, KEY_FILE_NAME));

  const after = await startTestServer({ ...llm, DATA_DIR: restoredDir });
  // The session was committed before the backup too: the same cookie signs in to the restored server.
  const client = createCountersignClient({ url: after.url, headers: { cookie: person.cookie, origin: after.url } });
  try {
    const listed = (await client.api.chats.list.query({})).items.map((chat) => chat.title).sort();
    expect(listed).toEqual(['Answered 1', 'Answered 2', 'Answered 3', 'Streaming during the backup']);
    for (const chat of answered) {
      const { history } = await client.api.chats.get.query({ chatId: chat.id });
      expect(history.messages.map((m) => m.text)).toEqual([chat.title.replace('Answered', 'Question'), chat.answer]);
    }
  } finally {
    await client.close();
    await after[Symbol.asyncDispose]();
  }
}, 120_000);

test('restore refuses a backup from a newer version, and changes nothing', async () => {
  const dataDir = folder();
  const server = await startTestServer({ DATA_DIR: dataDir });
  const backup = join(folder(), 'newer.db');
  try {
    expect((await runScript('backup', [backup], { DATA_DIR: dataDir })).code).toBe(0);
  } finally {
    await server.stop();
  }
  const copy = new Database(backup);
  copy.run("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', 99999999999999)");
  copy.close();
  const target = folder();
  const refused = await runScript('restore', [backup], { DATA_DIR: target });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('was made by a newer Countersign');
  expect(existsSync(join(target, 'countersign.db'))).toBe(false);
});

test('checkpoints kept in a file of their own go to <file>.checkpoints, and restore needs the same layout', async () => {
  const dataDir = folder();
  const layout = { DATA_DIR: dataDir, CHECKPOINT_DATABASE_PATH: join(dataDir, 'checkpoints.db') };
  // A process of its own, stopped as operators stop it, so no connection of it outlives the stop.
  const server = await startMainProcess({ dataDir, env: layout });
  const backup = join(folder(), 'split.db');
  try {
    const made = await runScript('backup', [backup], layout);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`wrote ${backup}.checkpoints: the checkpoints from ${layout.CHECKPOINT_DATABASE_PATH}`);
  } finally {
    expect(await server.process.kill('SIGTERM')).toBe(0);
  }
  const oneFile = await runScript('restore', [backup], { DATA_DIR: folder() });
  expect(oneFile.code).toBe(1);
  expect(oneFile.stderr).toContain('set CHECKPOINT_DATABASE_PATH as the server had it');

  // Back over the stopped server's own files: those it replaces are kept beside them, renamed.
  const restored = await runScript('restore', [backup], layout);
  expect(restored.stderr).toBe('');
  expect(restored.code).toBe(0);
  const kept = [...restored.stdout.matchAll(/kept the (app database|checkpoints) it replaced as (\S+):/g)];
  expect(kept.map((match) => match[1])).toEqual(['app database', 'checkpoints']);
  for (const match of kept) expect(existsSync(match[2]!)).toBe(true);
  await using again = await startTestServer(layout);
  expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
});

describe('nothing to copy', () => {
  test.each(['backup', 'restore'])('%s refuses a database kept in memory, saying how to keep one in a file', async (script) => {
    const run = await runScript(script, [join(folder(), 'copy.db')], { DATA_DIR: folder(), DATABASE_PATH: ':memory:' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the database is kept in memory');
    expect(run.stderr).toContain('Set DATABASE_PATH to a file');
  });

  test.each(['backup', 'restore'])("%s refuses PostgreSQL, pointing to PostgreSQL's own tools", async (script) => {
    const run = await runScript(script, [join(folder(), 'copy.db')], { DATA_DIR: folder(), DATABASE_URL: TEST_DATABASE_URL });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pg_dump');
    expect(run.stderr).toContain('pg_restore');
  });
});
