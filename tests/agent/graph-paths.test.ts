/**
 * Every path through the agent graph, over real HTTP against the scriptable OpenAI fixture with
 * the production ChatOpenAI path, fake in-memory tools, and the real app database and audit log.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { collector, createChat, createHarness, createNoteTool, getTimeTool, text, USER_ID, type AgentHarness } from './support.ts';

let fixture: OpenAIFixture;
let h: AgentHarness;

beforeEach(() => {
  fixture = startOpenAIFixture();
  h = createHarness({ baseURL: fixture.baseURL });
  h.tools.on('notes__create_note', (args) => text(`Saved note "${args.title}".`));
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

describe('no tool', () => {
  test('the reply streams as several token events, then one complete message, then idle', async () => {
    fixture.script({ kind: 'text', text: 'Hello there, how can I help today?', delayMs: 5 });
    const { threadId } = createChat(h.db);
    const run = collector();

    const state = await handler().send(threadId, 'hi', run);

    expect(state).toEqual({ status: 'idle' });
    const tokens = run.ofType('token');
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    expect(tokens.map((t) => t.delta).join('')).toBe('Hello there, how can I help today?');
    const [complete] = run.ofType('assistant_message');
    expect(complete!.message.text).toBe('Hello there, how can I help today?');
    expect(new Set(tokens.map((t) => t.messageId))).toEqual(new Set([complete!.message.id]));
    // Every token arrives before the message is complete.
    expect(run.events.indexOf(tokens.at(-1)!)).toBeLessThan(run.events.indexOf(complete!));
    expect(run.events.map((e) => e.type).filter((t) => t === 'run_state')).toHaveLength(2);

    const history = await handler().history(threadId);
    expect(history.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'hi'],
      ['assistant', 'Hello there, how can I help today?'],
    ]);
    expect(history.runState).toEqual({ status: 'idle' });
    expect(history.pendingApproval).toBeNull();
  });

  test('the model is offered exactly the chat’s tools, with their schemas', async () => {
    const { threadId } = createChat(h.db);
    await handler().send(threadId, 'hi', collector());
    const offered = fixture.requests[0]!.body.tools!.map((t) => t.function.name).sort();
    expect(offered).toEqual(['clock__get_time', 'notes__create_note']);
    const note = fixture.requests[0]!.body.tools!.find((t) => t.function.name === 'notes__create_note')!;
    expect(note.function.parameters).toMatchObject({ required: ['title', 'body'] });
  });
});

describe('streamed answers', () => {
  /** Each assistant message next to the text its token events spell under its id; tokens under no message's id are listed apart. */
  const spelled = (run: ReturnType<typeof collector>) => {
    const messages = run.ofType('assistant_message').map((e) => e.message);
    const ids = new Set(messages.map((m) => m.id));
    const tokens = run.ofType('token');
    return {
      messages: messages.map((m) => ({
        text: m.text,
        tokens: tokens
          .filter((t) => t.messageId === m.id)
          .map((t) => t.delta)
          .join(''),
      })),
      strays: tokens.filter((t) => !ids.has(t.messageId)),
    };
  };
  /** The kinds of event in order, repeats of one kind in a row counted once. */
  const shape = (run: ReturnType<typeof collector>) => run.events.map((e) => e.type).filter((type, i, all) => type !== all[i - 1]);

  test('text and tool calls in one answer: its tokens spell exactly its text under its id, its calls arrive whole, in the order a client expects', async () => {
    const preamble = 'I will note that — and check the time in Paris.';
    fixture.script(
      {
        kind: 'tool_calls',
        content: preamble,
        calls: [
          { name: 'notes__create_note', arguments: { title: 'Groceries', body: 'eggs, milk, “bread”' } },
          { name: 'clock__get_time', arguments: { timezone: 'Europe/Paris' } },
        ],
        pieces: 4,
      },
      { kind: 'text', text: 'Noted, and it is noon in Paris.', delayMs: 1 },
    );
    const { threadId } = createChat(h.db);
    const first = collector();
    await handler().send(threadId, 'note groceries, and what time is it in Paris?', first);

    expect(spelled(first)).toEqual({ messages: [{ text: preamble, tokens: preamble }], strays: [] });
    const [proposed] = first.ofType('assistant_message');
    expect(proposed!.message.toolCalls.map((c) => [c.tool.uniqueName, c.arguments])).toEqual([
      ['notes__create_note', { title: 'Groceries', body: 'eggs, milk, “bread”' }],
      ['clock__get_time', { timezone: 'Europe/Paris' }],
    ]);
    expect(shape(first)).toEqual(['user_message', 'run_state', 'token', 'assistant_message', 'approval_requested', 'run_state']);

    const approval = first.ofType('approval_requested')[0]!.approval;
    const second = collector();
    await handler().decide(threadId, approval.interruptId, [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' }], second);

    expect(spelled(second)).toEqual({
      messages: [{ text: 'Noted, and it is noon in Paris.', tokens: 'Noted, and it is noon in Paris.' }],
      strays: [],
    });
    expect(second.ofType('token').length).toBeGreaterThan(1);
    const kinds = shape(second);
    expect(kinds.slice(kinds.indexOf('token'))).toEqual(['token', 'assistant_message', 'run_state']);
    expect(new Set(kinds.slice(1, kinds.indexOf('token')))).toEqual(new Set(['tool_started', 'tool_finished']));

    // The history keeps the same messages, under the same ids the tokens named.
    const history = await handler().history(threadId);
    const assistants = history.messages.filter((m) => m.role === 'assistant');
    expect(assistants.map((m) => [m.id, m.text])).toEqual([
      [proposed!.message.id, preamble],
      [second.ofType('assistant_message')[0]!.message.id, 'Noted, and it is noon in Paris.'],
    ]);
  });
});

describe('a tool call that needs approval', () => {
  test('approved: the request carries everything a person needs, the tool runs once, the model answers', async () => {
    fixture.script(
      { kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'Groceries', body: 'eggs' } }], pieces: 4 },
      { kind: 'text', text: 'Saved your note.' },
    );
    const { threadId } = createChat(h.db);
    const first = collector();
    const state = await handler().send(threadId, 'note groceries: eggs', first);

    expect(state.status).toBe('awaiting_approval');
    const [requested] = first.ofType('approval_requested');
    const approval = requested!.approval;
    expect(state).toEqual({ status: 'awaiting_approval', interruptId: approval.interruptId });
    expect(approval.items).toHaveLength(1);
    const item = approval.items[0]!;
    expect(item).toMatchObject({
      tool: { serverId: 'srv-notes', serverName: 'notes', uniqueName: 'notes__create_note', name: 'create_note', title: 'Create note' },
      description: 'Creates a note with a title and a body.',
      arguments: { title: 'Groceries', body: 'eggs' },
      annotations: { destructiveHint: false },
      reason: 'policy: ask',
    });
    expect(item.inputSchema).toMatchObject({ required: ['title', 'body'] });
    expect(h.tools.calls).toHaveLength(0);

    const second = collector();
    const after = await handler().decide(threadId, approval.interruptId, [{ toolCallId: item.toolCallId, action: 'approve' }], second);

    expect(after).toEqual({ status: 'idle' });
    expect(h.tools.callsOf('notes__create_note')).toEqual([
      { uniqueName: 'notes__create_note', args: { title: 'Groceries', body: 'eggs' } },
    ]);
    const [started] = second.ofType('tool_started');
    const [finished] = second.ofType('tool_finished');
    expect(started!.card.status).toBe('running');
    expect(finished!.card).toMatchObject({
      status: 'succeeded',
      decision: 'approved',
      decidedBy: { kind: 'person', userId: USER_ID },
      result: 'Saved note "Groceries".',
    });
    expect(second.ofType('assistant_message').at(-1)!.message.text).toBe('Saved your note.');
    // The model saw the tool's result.
    const lastRequest = fixture.requests.at(-1)!.body.messages;
    expect(lastRequest.find((m) => m.role === 'tool')!.content).toBe('Saved note "Groceries".');

    const [row] = await h.audit.listForChat(chatIdOf(threadId));
    expect(row).toMatchObject({ decision: 'approved', decidedBy: USER_ID, outcome: 'ok', tool: 'create_note', serverName: 'notes' });
    expect(row!.startedAt).toBeInstanceOf(Date);
    expect(row!.finishedAt).toBeInstanceOf(Date);

    const history = await handler().history(threadId);
    expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    const card = history.messages[1]!.role === 'assistant' ? history.messages[1]!.toolCalls[0] : undefined;
    expect(card).toMatchObject({ status: 'succeeded', decision: 'approved', decidedBy: { kind: 'person', userId: USER_ID } });
  });

  test('approved with edited arguments: an invalid edit is refused and the approval stays; a valid one runs', async () => {
    fixture.script(
      { kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'Grocries', body: 'eggs' } }] },
      { kind: 'text', text: 'Done.' },
    );
    const { threadId } = createChat(h.db);
    const first = collector();
    await handler().send(threadId, 'make a note', first);
    const approval = first.ofType('approval_requested')[0]!.approval;
    const toolCallId = approval.items[0]!.toolCallId;

    const refused = handler().decide(
      threadId,
      approval.interruptId,
      [{ toolCallId, action: 'edit', arguments: { title: '', body: 7 } }],
      collector(),
    );
    await expect(refused).rejects.toMatchObject({ code: 'invalid_decision' });
    await expect(refused).rejects.toThrow(/title|body/);
    expect(h.tools.calls).toHaveLength(0);
    expect((await handler().history(threadId)).pendingApproval?.interruptId).toBe(approval.interruptId);

    const second = collector();
    await handler().decide(
      threadId,
      approval.interruptId,
      [{ toolCallId, action: 'edit', arguments: { title: 'Groceries', body: 'eggs, milk' } }],
      second,
    );

    expect(h.tools.calls).toEqual([{ uniqueName: 'notes__create_note', args: { title: 'Groceries', body: 'eggs, milk' } }]);
    expect(second.ofType('tool_finished')[0]!.card).toMatchObject({
      decision: 'edited',
      arguments: { title: 'Groceries', body: 'eggs, milk' },
      proposedArguments: { title: 'Grocries', body: 'eggs' },
    });
    const [row] = await h.audit.listForChat(chatIdOf(threadId));
    expect(row).toMatchObject({ decision: 'edited', arguments: { title: 'Groceries', body: 'eggs, milk' } });
  });

  test('rejected: nothing runs, the model writes a humane reply with no tools offered, and the turn ends', async () => {
    fixture.script(
      { kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'Secret', body: 'x' } }] },
      { kind: 'text', text: 'Understood, I will not create that note.' },
    );
    const { threadId } = createChat(h.db);
    const first = collector();
    await handler().send(threadId, 'note this', first);
    const approval = first.ofType('approval_requested')[0]!.approval;

    const second = collector();
    const state = await handler().decide(
      threadId,
      approval.interruptId,
      [{ toolCallId: approval.items[0]!.toolCallId, action: 'reject', reason: 'not now' }],
      second,
    );

    expect(state).toEqual({ status: 'idle' });
    expect(h.tools.calls).toHaveLength(0);
    expect(fixture.requests).toHaveLength(2);
    const humaneRequest = fixture.requests[1]!.body;
    expect(humaneRequest.tools).toBeUndefined();
    expect(humaneRequest.messages.find((m) => m.role === 'tool')!.content).toContain('rejected this call (reason: not now)');
    expect(second.ofType('token').length).toBeGreaterThan(1);
    expect(second.ofType('assistant_message')[0]!.message.text).toBe('Understood, I will not create that note.');
    expect(second.ofType('tool_finished')[0]!.card).toMatchObject({ status: 'rejected', decision: 'rejected', reason: 'not now' });
    const [row] = await h.audit.listForChat(chatIdOf(threadId));
    expect(row).toMatchObject({ decision: 'rejected', decidedBy: USER_ID, reason: 'not now', startedAt: null });
    const history = await handler().history(threadId);
    expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });

  test('mixed decisions: the approved call runs, the model learns which was rejected and why, and an identical re-proposal is refused without asking', async () => {
    fixture.script(
      {
        kind: 'tool_calls',
        calls: [
          { name: 'notes__create_note', arguments: { title: 'A', body: 'keep' } },
          { name: 'notes__create_note', arguments: { title: 'B', body: 'drop' } },
        ],
      },
      // The model tries the rejected call again, with its keys in another order.
      { kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { body: 'drop', title: 'B' } }] },
      { kind: 'text', text: 'Created A only, as you asked.' },
    );
    const { threadId } = createChat(h.db);
    const first = collector();
    await handler().send(threadId, 'two notes', first);
    const approval = first.ofType('approval_requested')[0]!.approval;
    const [keep, drop] = approval.items;

    const second = collector();
    const state = await handler().decide(
      threadId,
      approval.interruptId,
      [
        { toolCallId: keep!.toolCallId, action: 'approve' },
        { toolCallId: drop!.toolCallId, action: 'reject', reason: 'B is a duplicate' },
      ],
      second,
    );

    expect(state).toEqual({ status: 'idle' });
    expect(h.tools.calls.map((c) => c.args.title)).toEqual(['A']);
    expect(second.ofType('approval_requested')).toHaveLength(0);
    const toModel = fixture.requests[1]!.body;
    const toolReplies = toModel.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
    expect(toolReplies).toEqual(['Saved note "A".', expect.stringContaining('rejected this call (reason: B is a duplicate)')]);
    expect(String(toModel.messages[0]!.content)).toContain('"title":"B"');
    // The re-proposal was answered without asking, and the turn ended with the model's answer.
    const refused = fixture.requests[2]!.body.messages.at(-1)!;
    expect(refused).toMatchObject({ role: 'tool' });
    expect(String(refused.content)).toContain('already rejected this exact call');
    expect(second.ofType('assistant_message').at(-1)!.message.text).toBe('Created A only, as you asked.');
    const rows = await h.audit.listForChat(chatIdOf(threadId));
    expect(rows.map((r) => [r.decision, r.decidedBy, r.outcome])).toEqual(
      expect.arrayContaining([
        ['approved', USER_ID, 'ok'],
        ['rejected', USER_ID, null],
        ['rejected', 'policy', null],
      ]),
    );
  });
});

describe('policies', () => {
  test('deny: the model never sees the tool, and a call to it anyway does not run', async () => {
    h.db.sqlite.run(`UPDATE mcp_servers SET tool_policies = '{"create_note":"deny"}' WHERE id = 'srv-notes'`);
    fixture.script(
      { kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'x', body: 'y' } }] },
      { kind: 'text', text: 'I cannot create notes here.' },
    );
    const { threadId } = createChat(h.db);
    const run = collector();
    const state = await handler().send(threadId, 'note x', run);

    expect(fixture.requests[0]!.body.tools!.map((t) => t.function.name)).toEqual(['clock__get_time']);
    expect(state).toEqual({ status: 'idle' });
    expect(run.ofType('approval_requested')).toHaveLength(0);
    expect(h.tools.calls).toHaveLength(0);
    expect(run.ofType('tool_finished')[0]!.card).toMatchObject({ status: 'denied', decision: 'denied' });
    const [row] = await h.audit.listForChat(chatIdOf(threadId));
    expect(row).toMatchObject({ decision: 'denied', decidedBy: 'policy' });
  });

  test('auto: a trusted server’s read-only tool runs without asking', async () => {
    fixture.script(
      { kind: 'tool_calls', calls: [{ name: 'clock__get_time', arguments: { timezone: 'Europe/Paris' } }] },
      { kind: 'text', text: 'It is noon in Paris.' },
    );
    const { threadId } = createChat(h.db);
    const run = collector();
    const state = await handler().send(threadId, 'time in Paris?', run);

    expect(state).toEqual({ status: 'idle' });
    expect(run.ofType('approval_requested')).toHaveLength(0);
    expect(h.tools.calls).toEqual([{ uniqueName: 'clock__get_time', args: { timezone: 'Europe/Paris' } }]);
    expect(run.ofType('tool_finished')[0]!.card).toMatchObject({
      decision: 'auto',
      decidedBy: { kind: 'policy' },
      reason: 'read-only tool of a trusted server',
    });
    const [row] = await h.audit.listForChat(chatIdOf(threadId));
    expect(row).toMatchObject({ decision: 'auto', decidedBy: 'policy', outcome: 'ok' });
  });

  test('always allow in this chat: runs without asking there, and still asks in another chat', async () => {
    const allowed = createChat(h.db, { alwaysAllowed: ['notes__create_note'] });
    const other = createChat(h.db);
    const call = { kind: 'tool_calls' as const, calls: [{ name: 'notes__create_note', arguments: { title: 'T', body: 'b' } }] };
    fixture.script(call, { kind: 'text', text: 'Saved.' }, call);

    const first = collector();
    expect(await handler().send(allowed.threadId, 'note', first)).toEqual({ status: 'idle' });
    expect(first.ofType('tool_finished')[0]!.card).toMatchObject({ decision: 'auto', reason: 'always allowed in this chat' });

    const second = collector();
    expect((await handler().send(other.threadId, 'note', second)).status).toBe('awaiting_approval');
    expect(h.tools.calls).toHaveLength(1);
  });

  test('tool progress is streamed, and a failing tool is reported to the model and the audit log', async () => {
    h.tools.on('clock__get_time', (_args, report) => {
      report({ progress: 1, total: 2, message: 'asking the clock' });
      report({ progress: 2, total: 2 });
      return { ok: false, kind: 'timeout', message: 'the clock did not answer within 60 s' };
    });
    fixture.script(
      { kind: 'tool_calls', calls: [{ name: 'clock__get_time', arguments: { timezone: 'UTC' } }] },
      { kind: 'text', text: 'The clock is not answering.' },
    );
    const { threadId } = createChat(h.db);
    const run = collector();
    await handler().send(threadId, 'time?', run);

    expect(run.ofType('tool_progress').map((p) => [p.progress, p.total, p.message])).toEqual([
      [1, 2, 'asking the clock'],
      [2, 2, undefined],
    ]);
    expect(run.ofType('tool_finished')[0]!.card).toMatchObject({
      status: 'failed',
      result: 'Tool failed (timeout): the clock did not answer within 60 s',
    });
    expect(fixture.requests[1]!.body.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: 'Tool failed (timeout): the clock did not answer within 60 s',
    });
    const [row] = await h.audit.listForChat(chatIdOf(threadId));
    expect(row).toMatchObject({ outcome: 'timeout', error: 'the clock did not answer within 60 s' });
  });

  test('a chat sees only the servers it enabled', async () => {
    const { threadId } = createChat(h.db, { enabledServers: ['srv-clock'] });
    await handler().send(threadId, 'hi', collector());
    expect(fixture.requests[0]!.body.tools!.map((t) => t.function.name)).toEqual(['clock__get_time']);
  });
});

function chatIdOf(threadId: string): string {
  const row = h.db.sqlite.query('SELECT id FROM chats WHERE thread_id = ?').get(threadId) as { id: string };
  return row.id;
}
