/** Decisions are idempotent: a repeated or concurrent decide never runs a tool twice. */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { collector, createChat, createHarness, createNoteTool, text, USER_ID, type AgentHarness } from './support.ts';

let fixture: OpenAIFixture;
let h: AgentHarness;

beforeEach(() => {
  fixture = startOpenAIFixture();
  h = createHarness({ baseURL: fixture.baseURL });
  h.manager.get(USER_ID).setTools([createNoteTool()]);
  h.tools.on('notes__create_note', async () => {
    // A tool that takes a while on purpose: the other decisions arrive while it runs.
    await Bun.sleep(20);
    return text('saved');
  });
  fixture.script({ kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'T', body: 'b' } }] });
  fixture.fallback({ kind: 'text', text: 'Done.' });
});

afterEach(async () => {
  await fixture.stop();
  h.db.close();
});

async function pendingApproval(threadId: string) {
  const run = collector();
  await h.manager.get(USER_ID).send(threadId, 'note', run);
  return run.ofType('approval_requested')[0]!.approval;
}

test('a second decide on the same approval gets a clear error, and the tool ran once', async () => {
  const { threadId } = createChat(h.db);
  const approval = await pendingApproval(threadId);
  const decision = [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' as const }];
  const handler = h.manager.get(USER_ID);

  expect(await handler.decide(threadId, approval.interruptId, decision, collector())).toEqual({ status: 'idle' });
  const again = handler.decide(threadId, approval.interruptId, decision, collector());

  await expect(again).rejects.toMatchObject({ code: 'approval_not_pending' });
  await expect(again).rejects.toThrow(/no longer pending/);
  expect(h.tools.calls).toHaveLength(1);
});

test('concurrent decides run the tool once: one resumes, the others are refused', async () => {
  const { threadId } = createChat(h.db);
  const approval = await pendingApproval(threadId);
  const decision = [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' as const }];
  const handler = h.manager.get(USER_ID);

  const results = await Promise.allSettled(
    Array.from({ length: 5 }, () => handler.decide(threadId, approval.interruptId, decision, collector())),
  );

  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
    Array(4).fill('approval_not_pending'),
  );
  expect(h.tools.calls).toHaveLength(1);
  const rows = h.db.sqlite.query('SELECT decision, outcome FROM tool_call_audit').all();
  expect(rows).toEqual([{ decision: 'approved', outcome: 'ok' }]);
});

test('a made-up interrupt id is refused, and sending while an approval is pending is refused', async () => {
  const { threadId } = createChat(h.db);
  const approval = await pendingApproval(threadId);
  const handler = h.manager.get(USER_ID);
  const decision = [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' as const }];

  await expect(handler.decide(threadId, 'not-an-interrupt', decision, collector())).rejects.toMatchObject({ code: 'approval_not_pending' });
  await expect(handler.send(threadId, 'hello?', collector())).rejects.toMatchObject({ code: 'awaiting_approval' });
  expect(h.tools.calls).toHaveLength(0);
});

test('another person cannot send to, decide on, or read someone else’s chat', async () => {
  const { threadId } = createChat(h.db);
  const approval = await pendingApproval(threadId);
  const stranger = h.manager.get('user-mallory');
  const decision = [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' as const }];

  await expect(stranger.decide(threadId, approval.interruptId, decision, collector())).rejects.toMatchObject({ code: 'chat_not_found' });
  await expect(stranger.history(threadId)).rejects.toMatchObject({ code: 'chat_not_found' });
  await expect(stranger.send(threadId, 'hi', collector())).rejects.toMatchObject({ code: 'chat_not_found' });
  expect(h.tools.calls).toHaveLength(0);
});
