/**
 * A restart between the approval request and the decision: a new handler manager and a new
 * checkpointer instance on the same SQLite file pick the pending approval up and resume it.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BunSqliteSaver } from '../../db/checkpointer/bun-sqlite-saver.ts';
import { openSqliteDatabase, type SqliteAppDatabase } from '../../db/database.ts';
import { tempDir } from '../support/test-server.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { collector, createChat, createHarness, createNoteTool, FakeTools, seedDatabase, text, USER_ID } from './support.ts';

let fixture: OpenAIFixture;
let dir: string;
let db: SqliteAppDatabase;

beforeEach(() => {
  fixture = startOpenAIFixture();
  dir = tempDir('countersign-agent-restart-');
  db = openSqliteDatabase(join(dir, 'app.db'));
  seedDatabase(db);
});

afterEach(async () => {
  await fixture.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a pending approval survives a restart, and the decision after it runs the tool once', async () => {
  const checkpoints = join(dir, 'checkpoints.db');
  const { threadId } = createChat(db);
  fixture.script(
    { kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'Plan', body: 'ship it' } }] },
    { kind: 'text', text: 'Your note is saved.' },
  );

  const beforeSaver = new BunSqliteSaver(checkpoints);
  const before = createHarness({ baseURL: fixture.baseURL, db, checkpointer: beforeSaver });
  before.manager.get(USER_ID).setTools([createNoteTool()]);
  const first = collector();
  await before.manager.get(USER_ID).send(threadId, 'note the plan', first);
  const requested = first.ofType('approval_requested')[0]!.approval;
  await before.manager.shutdown();
  beforeSaver.close();

  // "Restart": new saver on the same file, new manager and handler, tools re-registered by the MCP side.
  const afterSaver = new BunSqliteSaver(checkpoints);
  const tools = new FakeTools().on('notes__create_note', () => text('saved'));
  const after = createHarness({ baseURL: fixture.baseURL, db, checkpointer: afterSaver, tools });
  const handler = after.manager.get(USER_ID);
  handler.setTools([createNoteTool()]);

  const history = await handler.history(threadId);
  expect(history.pendingApproval).toEqual(requested);
  expect(history.runState).toEqual({ status: 'awaiting_approval', interruptId: requested.interruptId });
  const proposed = history.messages[1]!;
  expect(proposed.role === 'assistant' && proposed.toolCalls[0]).toMatchObject({ status: 'awaiting_approval', reason: 'policy: ask' });

  const second = collector();
  const state = await handler.decide(
    threadId,
    requested.interruptId,
    [{ toolCallId: requested.items[0]!.toolCallId, action: 'approve' }],
    second,
  );

  expect(state).toEqual({ status: 'idle' });
  expect(tools.calls).toEqual([{ uniqueName: 'notes__create_note', args: { title: 'Plan', body: 'ship it' } }]);
  expect(second.ofType('assistant_message').at(-1)!.message.text).toBe('Your note is saved.');
  await expect(
    handler.decide(threadId, requested.interruptId, [{ toolCallId: requested.items[0]!.toolCallId, action: 'approve' }], collector()),
  ).rejects.toMatchObject({ code: 'approval_not_pending' });
  const settled = (await handler.history(threadId)).messages;
  expect(settled.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  // The card, with who approved it, comes back out of the SQLite checkpoint.
  expect(settled[1]!.role === 'assistant' && settled[1]!.toolCalls[0]).toMatchObject({
    status: 'succeeded',
    decision: 'approved',
    decidedBy: { kind: 'person', userId: USER_ID },
  });
  afterSaver.close();
});

test('a call whose start was already recorded is not run again when its step is replayed', async () => {
  const { threadId, chatId } = createChat(db);
  fixture.script(
    { kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'Once', body: 'only' } }] },
    { kind: 'text', text: 'ok' },
  );
  const harness = createHarness({ baseURL: fixture.baseURL, db });
  harness.tools.on('notes__create_note', () => text('saved'));
  const handler = harness.manager.get(USER_ID);
  handler.setTools([createNoteTool()]);
  const first = collector();
  await handler.send(threadId, 'note', first);
  const requested = first.ofType('approval_requested')[0]!.approval;
  const toolCallId = requested.items[0]!.toolCallId;
  // As if a crash had happened after the tool started but before its step was checkpointed.
  await harness.audit.recordDecision({
    userId: USER_ID,
    chatId,
    serverId: 'srv-notes',
    serverName: 'notes',
    tool: 'create_note',
    toolCallId,
    arguments: {},
    decision: 'approved',
    decidedBy: USER_ID,
    reason: null,
    requestedAt: new Date(),
    decidedAt: new Date(),
  });
  expect(await harness.audit.claimStart(toolCallId, new Date())).toBe(true);

  const second = collector();
  await handler.decide(threadId, requested.interruptId, [{ toolCallId, action: 'approve' }], second);

  expect(harness.tools.calls).toHaveLength(0);
  expect(second.ofType('tool_finished')[0]!.card).toMatchObject({ status: 'not_run', result: expect.stringContaining('already started') });
});
