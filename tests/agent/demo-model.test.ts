/**
 * The offline demo model, answered in-process and driven through the production provider path
 * (resolveLlmEndpoint('demo') → ChatOpenAI chat completions).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { resolveLlmEndpoint } from '../../server/llm/endpoint.ts';
import { inferArguments } from '../../server/llm/demo/demo-arguments.ts';
import { DEMO_BASE_URL, DEMO_MODEL_ID, demoFetch } from '../../server/llm/demo/demo-fetch.ts';
import { demoReply, type WireTool } from '../../server/llm/demo/demo-model.ts';
import { loadConfig } from '../../server/config.ts';
import { collector, createChat, createHarness, createNoteTool, getTimeTool, text, USER_ID, type AgentHarness } from './support.ts';

let h: AgentHarness;

beforeAll(() => {
  const endpoint = resolveLlmEndpoint(loadConfig({ NODE_ENV: 'test' }));
  h = createHarness({ endpoint });
  h.tools.on('clock__get_time', (args) => text(`It is 14:05 in ${args.timezone}.`));
  h.tools.on('notes__create_note', () => text('saved'));
  h.manager.get(USER_ID).setTools([createNoteTool(), getTimeTool()]);
});

afterAll(() => {
  h.db.close();
});

describe('through the agent', () => {
  test('the demo model is what the default provider points at', () => {
    const endpoint = resolveLlmEndpoint(loadConfig({ NODE_ENV: 'test' }));
    expect(endpoint).toMatchObject({ provider: 'demo', baseURL: DEMO_BASE_URL, model: DEMO_MODEL_ID });
  });

  test('it calls a named tool with arguments from the message, then streams a summary of the result', async () => {
    const { threadId } = createChat(h.db);
    const run = collector();

    const state = await h.manager.get(USER_ID).send(threadId, 'What time is it in Europe/Paris?', run);

    expect(state).toEqual({ status: 'idle' });
    expect(h.tools.callsOf('clock__get_time')).toEqual([{ uniqueName: 'clock__get_time', args: { timezone: 'Europe/Paris' } }]);
    const answer = run.ofType('assistant_message').at(-1)!.message.text;
    expect(answer).toContain('It is 14:05 in Europe/Paris.');
    expect(run.ofType('token').length).toBeGreaterThan(3);
  });

  test('it proposes a note for approval, and replies kindly when the person rejects it', async () => {
    const { threadId } = createChat(h.db);
    const first = collector();
    await h.manager.get(USER_ID).send(threadId, 'Create a note titled Groceries: eggs and milk', first);
    const approval = first.ofType('approval_requested')[0]!.approval;
    expect(approval.items[0]).toMatchObject({
      tool: { uniqueName: 'notes__create_note' },
      arguments: { title: 'Groceries', body: 'eggs and milk' },
    });

    const second = collector();
    await h.manager
      .get(USER_ID)
      .decide(threadId, approval.interruptId, [{ toolCallId: approval.items[0]!.toolCallId, action: 'reject' }], second);

    expect(h.tools.callsOf('notes__create_note')).toHaveLength(0);
    expect(second.ofType('assistant_message').at(-1)!.message.text).toMatch(/did not run `create_note`.*\n.*No problem/);
  });

  test('its reply to a rejection says the reason the person gave, as a real model would use it', async () => {
    const { threadId } = createChat(h.db);
    const first = collector();
    await h.manager.get(USER_ID).send(threadId, 'Create a note titled Groceries: eggs and milk', first);
    const approval = first.ofType('approval_requested')[0]!.approval;
    const second = collector();
    await h.manager
      .get(USER_ID)
      .decide(
        threadId,
        approval.interruptId,
        [{ toolCallId: approval.items[0]!.toolCallId, action: 'reject', reason: 'I keep groceries on paper (for now)' }],
        second,
      );
    expect(second.ofType('assistant_message').at(-1)!.message.text).toContain(
      'I did not run `create_note`, as you decided, because “I keep groceries on paper (for now)”.',
    );
  });

  test('with no tool named it answers as the labelled demo model', async () => {
    const { threadId } = createChat(h.db);
    const run = collector();
    await h.manager.get(USER_ID).send(threadId, 'hello there', run);
    expect(run.ofType('assistant_message')[0]!.message.text).toContain('offline demo model');
  });

  test('it titles a chat (a non-streamed request)', async () => {
    const { threadId } = createChat(h.db);
    await h.manager.get(USER_ID).send(threadId, 'Plan my weekend hiking trip', collector());
    expect(await h.manager.get(USER_ID).suggestTitle(threadId)).toBe('Plan my weekend hiking trip');
  });
});

describe('the wire protocol', () => {
  test('streams SSE chat.completion.chunks, the tool call split across chunks', async () => {
    const response = await demoFetch(`${DEMO_BASE_URL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: DEMO_MODEL_ID, stream: true, messages: [{ role: 'user', content: 'calculate 2+3*4' }], tools: [calc] }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === DEMO_MODEL_ID)).toBe(true);
    const pieces = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(pieces.length).toBeGreaterThan(1);
    expect(JSON.parse(pieces.map((p: { function: { arguments: string } }) => p.function.arguments).join(''))).toEqual({
      expression: '2+3*4',
    });
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  test('refuses a body without messages', async () => {
    const response = await demoFetch(`${DEMO_BASE_URL}/chat/completions`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
  });

  test('answers nothing but chat completions', async () => {
    expect((await demoFetch(`${DEMO_BASE_URL}/models`)).status).toBe(404);
  });
});

const calc: WireTool = {
  type: 'function',
  function: {
    name: 'math__calculate',
    parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  },
};

describe('the demo model’s rules', () => {
  const echo: WireTool = {
    type: 'function',
    function: {
      name: 'everything__echo',
      parameters: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
    },
  };
  const add: WireTool = {
    type: 'function',
    function: {
      name: 'add',
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    },
  };
  const listNotes: WireTool = { type: 'function', function: { name: 'notes__list_notes', parameters: { type: 'object', properties: {} } } };
  const createNote: WireTool = {
    type: 'function',
    function: {
      name: 'notes__create_note',
      parameters: { type: 'object', properties: { title: { type: 'string' }, body: { type: 'string' } } },
    },
  };

  test('picks a tool by its name, original name or topic words', () => {
    expect(demoReply([{ role: 'user', content: 'echo hello world' }], [echo, add])).toEqual({
      kind: 'tool_call',
      name: 'everything__echo',
      arguments: { message: 'hello world' },
    });
    expect(demoReply([{ role: 'user', content: 'please add 2 and 40' }], [echo, add])).toEqual({
      kind: 'tool_call',
      name: 'add',
      arguments: { a: 2, b: 40 },
    });
    expect(demoReply([{ role: 'user', content: 'compute (1 + 2) * 3 for me' }], [calc])).toMatchObject({
      arguments: { expression: '(1 + 2) * 3' },
    });
    expect(demoReply([{ role: 'user', content: 'create a note called Ideas: fly' }], [listNotes, createNote])).toMatchObject({
      name: 'notes__create_note',
      arguments: { title: 'Ideas', body: 'fly' },
    });
    expect(demoReply([{ role: 'user', content: 'show my notes' }], [listNotes, createNote])).toMatchObject({ name: 'notes__list_notes' });
  });

  test('does not call a tool it was not offered', () => {
    expect(demoReply([{ role: 'user', content: 'what time is it?' }], [echo])).toMatchObject({ kind: 'text' });
  });

  test('fills required arguments it cannot infer with something the schema accepts', () => {
    const schema = {
      properties: { n: { type: 'integer' }, mode: { enum: ['fast', 'slow'] }, flag: { type: 'boolean' } },
      required: ['n', 'mode', 'flag'],
    };
    expect(inferArguments('go slow', schema, '')).toEqual({ n: 0, mode: 'slow', flag: false });
  });
});
