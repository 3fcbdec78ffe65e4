/**
 * Retry from any failed step (issue 19): a model failure after a tool ran, and a run cut off by a
 * restart after a tool ran, each say so with a reason; Retry finishes the turn without running
 * the tool again.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BunSqliteSaver } from '../../db/checkpointer/bun-sqlite-saver.ts';
import { openSqliteDatabase, type SqliteAppDatabase } from '../../db/database.ts';
import { CUT_OFF_REASON } from '../../server/agent/llm-handler.ts';
import { type OpenAIFixture, type Reply, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { tempDir } from '../support/test-server.ts';
import { collector, createChat, createHarness, FakeTools, getTimeTool, seedDatabase, text, USER_ID } from './support.ts';

let fixture: OpenAIFixture;
let dir: string;
let db: SqliteAppDatabase;
const savers: BunSqliteSaver[] = [];

beforeEach(() => {
  fixture = startOpenAIFixture();
  dir = tempDir('countersign-retry-');
  db = openSqliteDatabase(join(dir, 'app.db'));
  seedDatabase(db);
});

afterEach(async () => {
  await fixture.stop();
  for (const saver of savers.splice(0)) saver.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const tools = () => new FakeTools().on('clock__get_time', () => text('09:00'));

function handlerWith(fake: FakeTools) {
  const saver = new BunSqliteSaver(join(dir, 'checkpoints.db'));
  savers.push(saver);
  const handler = createHarness({ baseURL: fixture.baseURL, db, checkpointer: saver, tools: fake }).manager.get(USER_ID);
  handler.setTools([getTimeTool()]);
  return handler;
}

const timeCall: Reply = { kind: 'tool_calls', calls: [{ name: 'clock__get_time', arguments: { timezone: 'Europe/Paris' } }] };

test('the model fails after a tool ran: the chat says why, and Retry answers without running the tool again', async () => {
  const fake = tools();
  const handler = handlerWith(fake);
  const { threadId } = createChat(db);
  const refused = { kind: 'error', status: 400, message: 'context too long' } as const;
  fixture.script(timeCall, refused);

  const state = await handler.send(threadId, 'time in Paris?', collector());
  expect(state).toEqual({ status: 'failed', reason: expect.stringContaining('HTTP 400') });
  expect((await handler.history(threadId)).runState).toEqual({ status: 'failed', reason: expect.stringContaining('The last run failed') });

  fixture.script({ kind: 'text', text: 'It is nine.' });
  expect(await handler.retry(threadId, collector())).toEqual({ status: 'idle' });
  const { messages, runState } = await handler.history(threadId);
  expect(runState).toEqual({ status: 'idle' });
  expect(messages.at(-1)).toMatchObject({ role: 'assistant', text: 'It is nine.' });
  expect(fake.callsOf('clock__get_time')).toHaveLength(1);
});

test('a run cut off by a restart after a tool ran offers Retry, which answers without running the tool again', async () => {
  const fake = tools();
  const { threadId } = createChat(db);
  // The model never answers after the tool: the server "dies" while it waits.
  fixture.script(timeCall, { kind: 'silent' });
  const before = collector();
  void handlerWith(fake).send(threadId, 'time in Paris?', before);
  await eventually(
    () => before.ofType('tool_finished').length > 0 && fixture.requests.length === 2,
    'the tool ran and the model was asked again',
  );

  const restarted = handlerWith(fake);
  expect((await restarted.history(threadId)).runState).toEqual({ status: 'failed', reason: CUT_OFF_REASON });
  fixture.script({ kind: 'text', text: 'It is nine.' });
  expect(await restarted.retry(threadId, collector())).toEqual({ status: 'idle' });
  expect((await restarted.history(threadId)).messages.at(-1)).toMatchObject({ role: 'assistant', text: 'It is nine.' });
  expect(fake.callsOf('clock__get_time')).toHaveLength(1);
});
