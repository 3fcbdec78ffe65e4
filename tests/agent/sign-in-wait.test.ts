/**
 * A call whose server wants the person to sign in does not fail: it waits, like an approval, for
 * the person to sign in and try it again, or to let it go. Over the scriptable OpenAI fixture with
 * the production model path, fake tools and the real audit log.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { ToolCallResult } from '../../server/agent/tool-port.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { type AgentHarness, collector, createChat, createHarness, createNoteTool, getTimeTool, text, USER_ID } from './support.ts';

let fixture: OpenAIFixture;
let h: AgentHarness;
/** Whether the person has signed in to the notes server (the fake answers as the real MCP layer does until then). */
let signedIn: boolean;

const needsSignIn: ToolCallResult = { ok: false, kind: 'needs-sign-in', message: 'Notes needs you to sign in' };

beforeEach(() => {
  signedIn = false;
  fixture = startOpenAIFixture();
  h = createHarness({ baseURL: fixture.baseURL });
  h.tools.on('notes__create_note', (args) => (signedIn ? text(`Saved note "${args.title}".`) : needsSignIn));
  h.tools.on('clock__get_time', (args) => text(`12:00 in ${args.timezone}`));
});

afterEach(async () => {
  await fixture.stop();
  h.db.close();
});

const handler = () => {
  const handler = h.manager.get(USER_ID);
  handler.setTools([createNoteTool(), getTimeTool()]);
  return handler;
};

/** The person approved a note and a clock call; the notes server wants a sign-in. */
async function approvedWhileSignedOut() {
  fixture.script({
    kind: 'tool_calls',
    calls: [
      { name: 'notes__create_note', arguments: { title: 'Groceries', body: 'eggs' } },
      { name: 'clock__get_time', arguments: { timezone: 'Europe/Paris' } },
    ],
  });
  const { threadId } = createChat(h.db);
  const first = collector();
  await handler().send(threadId, 'note groceries, and the time in Paris?', first);
  const approval = first.ofType('approval_requested')[0]!.approval;
  const second = collector();
  const state = await handler().decide(
    threadId,
    approval.interruptId,
    approval.items.map((item) => ({ toolCallId: item.toolCallId, action: 'approve' as const })),
    second,
  );
  return { threadId, state, run: second, noteCall: approval.items.find((i) => i.tool.uniqueName === 'notes__create_note')! };
}

describe('a call whose server wants a sign-in', () => {
  test('waits for the person, survives in the history, and runs once, as approved, after they sign in', async () => {
    const { threadId, state, run, noteCall } = await approvedWhileSignedOut();

    // The clock call ran; the note waits, and the run asks for a sign-in instead of failing.
    expect(state.status).toBe('awaiting_approval');
    const waiting = run.ofType('approval_requested')[0]!.approval;
    expect(waiting.signIn).toEqual([{ serverId: noteCall.tool.serverId!, serverName: noteCall.tool.serverName }]);
    expect(waiting.items.map((i) => i.toolCallId)).toEqual([noteCall.toolCallId]);
    expect(run.ofType('tool_started').map((e) => e.card.status)).toContain('awaiting_sign_in');
    expect(run.ofType('tool_finished').map((e) => e.card.tool.uniqueName)).toEqual(['clock__get_time']);
    // The model has not been asked anything since: it waits with the call.
    expect(fixture.requests).toHaveLength(1);

    // A reload shows the same: the card waits for the sign-in, the approval names the server.
    const history = await handler().history(threadId);
    expect(history.pendingApproval?.signIn).toEqual(waiting.signIn);
    const cards = history.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []));
    expect(cards.find((c) => c.toolCallId === noteCall.toolCallId)?.status).toBe('awaiting_sign_in');
    expect(cards.find((c) => c.tool.uniqueName === 'clock__get_time')?.status).toBe('succeeded');

    // Editing is not what a sign-in wait asks for.
    await expect(
      handler().decide(threadId, waiting.interruptId, [{ toolCallId: noteCall.toolCallId, action: 'edit', arguments: {} }], collector()),
    ).rejects.toThrow(/already decided and waits for a sign-in/);

    signedIn = true;
    fixture.script({ kind: 'text', text: 'Saved, and it is noon in Paris.' });
    const after = collector();
    expect(await handler().decide(threadId, waiting.interruptId, [{ toolCallId: noteCall.toolCallId, action: 'approve' }], after)).toEqual({
      status: 'idle',
    });
    expect(after.ofType('tool_finished').map((e) => [e.card.tool.uniqueName, e.card.status, e.card.decision])).toEqual([
      ['notes__create_note', 'succeeded', 'approved'],
    ]);
    // Tried twice (refused, then run), and the model saw one result for each call.
    expect(h.tools.callsOf('notes__create_note')).toHaveLength(2);
    const toolMessages = fixture.requests.at(-1)!.body.messages.filter((m) => m.role === 'tool');
    expect(toolMessages.map((m) => m.content)).toEqual(expect.arrayContaining(['Saved note "Groceries".', '12:00 in Europe/Paris']));
    expect(toolMessages).toHaveLength(2);
    const audit = await h.audit.listForChat(createdChatId(threadId));
    expect(audit.find((row) => row.toolCallId === noteCall.toolCallId)).toMatchObject({ outcome: 'ok', decision: 'approved' });
  });

  test('let go, it is answered as not run and the model goes on without it', async () => {
    const { threadId, run, noteCall } = await approvedWhileSignedOut();
    const waiting = run.ofType('approval_requested')[0]!.approval;

    fixture.script({ kind: 'text', text: 'It is noon in Paris; I could not save the note.' });
    const after = collector();
    await handler().decide(threadId, waiting.interruptId, [{ toolCallId: noteCall.toolCallId, action: 'reject' }], after);

    expect(after.ofType('tool_finished').map((e) => [e.card.tool.uniqueName, e.card.status])).toEqual([['notes__create_note', 'not_run']]);
    const toolMessages = fixture.requests
      .at(-1)!
      .body.messages.filter((m) => m.role === 'tool')
      .map((m) => String(m.content));
    expect(toolMessages).toContainEqual(expect.stringMatching(/^Not run: the person chose not to sign in to notes,/));
    expect(h.tools.callsOf('notes__create_note')).toHaveLength(1);
    expect((await handler().history(threadId)).pendingApproval).toBeNull();
  });
});

function createdChatId(threadId: string): string {
  return (h.db.sqlite.query('SELECT id FROM chats WHERE thread_id = ?').get(threadId) as { id: string }).id;
}
