/** A person's tools change (servers connected or disconnected): the next turn sees the change. */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { collector, createChat, createHarness, createNoteTool, getTimeTool, text, USER_ID, type AgentHarness } from './support.ts';

let fixture: OpenAIFixture;
let h: AgentHarness;

beforeEach(() => {
  fixture = startOpenAIFixture();
  h = createHarness({ baseURL: fixture.baseURL });
  h.tools.on('notes__create_note', () => text('saved'));
});

afterEach(async () => {
  await fixture.stop();
  h.db.close();
});

const offeredIn = (request: number) => fixture.requests[request]!.body.tools?.map((t) => t.function.name).sort() ?? [];

test('a new handler has no tools; added tools are offered from the next turn; removed ones are gone from the next turn', async () => {
  const { threadId } = createChat(h.db);
  const handler = h.manager.get(USER_ID);
  expect(handler.tools).toEqual([]);

  await handler.send(threadId, 'one', collector());
  handler.setTools([createNoteTool(), getTimeTool()]);
  await handler.send(threadId, 'two', collector());
  handler.setTools([getTimeTool()]);
  await handler.send(threadId, 'three', collector());

  expect(offeredIn(0)).toEqual([]);
  expect(offeredIn(1)).toEqual(['clock__get_time', 'notes__create_note']);
  expect(offeredIn(2)).toEqual(['clock__get_time']);
});

test('a tool removed while its call awaits approval does not run when approved', async () => {
  const { threadId } = createChat(h.db);
  const handler = h.manager.get(USER_ID);
  handler.setTools([createNoteTool()]);
  fixture.script({ kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'x', body: 'y' } }] });
  const first = collector();
  await handler.send(threadId, 'note', first);
  const approval = first.ofType('approval_requested')[0]!.approval;

  handler.setTools([]);
  const second = collector();
  await handler.decide(threadId, approval.interruptId, [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' }], second);

  expect(h.tools.calls).toHaveLength(0);
  expect(second.ofType('tool_finished')[0]!.card).toMatchObject({ status: 'not_run', decision: 'approved' });
  const row = h.db.sqlite.query('SELECT outcome FROM tool_call_audit').get();
  expect(row).toEqual({ outcome: 'skipped' });
});

test('handlers are per person: one person’s tools are not another’s', async () => {
  h.manager.get(USER_ID).setTools([createNoteTool()]);
  expect(h.manager.get('user-bob').tools).toEqual([]);
  expect(h.manager.peek('user-carol')).toBeUndefined();
  expect(h.manager.size).toBe(2);
  await h.manager.remove('user-bob');
  expect(h.manager.peek('user-bob')).toBeUndefined();
});

test('held tools (waiting for an admin’s review) are never offered', async () => {
  const { threadId } = createChat(h.db);
  h.manager.get(USER_ID).setTools([createNoteTool(), { ...getTimeTool(), held: 'changed' }]);
  await h.manager.get(USER_ID).send(threadId, 'hi', collector());
  expect(offeredIn(0)).toEqual(['notes__create_note']);
});
