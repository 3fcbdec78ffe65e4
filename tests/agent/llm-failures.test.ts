/** The model endpoint misbehaving: retried where it helps, a readable failed state where not, history intact. */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { collector, createChat, createHarness, getTimeTool, text, USER_ID, type AgentHarness } from './support.ts';

let fixture: OpenAIFixture;
let h: AgentHarness;

beforeEach(() => {
  fixture = startOpenAIFixture();
  h = createHarness({ baseURL: fixture.baseURL });
});

afterEach(async () => {
  await fixture.stop();
  h.db.close();
});

test('a 429 then success is retried: the person only sees the answer', async () => {
  fixture.script({ kind: 'error', status: 429, message: 'slow down' }, { kind: 'text', text: 'Here you go.' });
  const { threadId } = createChat(h.db);
  const run = collector();

  const state = await h.manager.get(USER_ID).send(threadId, 'hi', run);

  expect(state).toEqual({ status: 'idle' });
  expect(fixture.requests).toHaveLength(2);
  expect(run.ofType('assistant_message')[0]!.message.text).toBe('Here you go.');
});

test('a short Retry-After is honoured; a 503 then success is retried too', async () => {
  // The pause the server asks for, as a timer of the same length started before its answer is
  // sent. Timers in one process fire in order, so the retry finds it over only if the client waited.
  let pauseOver = false;
  let retriedAfterThePause: boolean | undefined;
  fixture.script(
    () => {
      setTimeout(() => (pauseOver = true), 50);
      return { kind: 'error', status: 429, headers: { 'retry-after': '0.05' } };
    },
    () => {
      retriedAfterThePause = pauseOver;
      return { kind: 'error', status: 503 };
    },
    { kind: 'text', text: 'Finally.' },
  );
  const { threadId } = createChat(h.db);

  expect(await h.manager.get(USER_ID).send(threadId, 'hi', collector())).toEqual({ status: 'idle' });
  expect(fixture.requests).toHaveLength(3);
  expect(retriedAfterThePause).toBe(true);
});

test('a persistent 500 ends in a failed state with a clear reason; the history is intact and the chat goes on', async () => {
  const { threadId } = createChat(h.db);
  const handler = h.manager.get(USER_ID);
  fixture.script({ kind: 'text', text: 'First answer.' });
  await handler.send(threadId, 'first', collector());

  fixture.fallback({ kind: 'error', status: 500, message: 'upstream exploded' });
  const run = collector();
  const state = await h.run(threadId, (options) => handler.send(threadId, 'second', options), run);

  expect(state.status).toBe('failed');
  expect(state.status === 'failed' && state.reason).toMatch(/HTTP 500.*Your message is kept/);
  expect(run.events.at(-1)).toMatchObject({ type: 'run_state', state });
  // 1 + 2 retries for the failing turn, after the first turn's request.
  expect(fixture.requests).toHaveLength(4);
  expect(h.logs.some((entry) => entry.level === 'error' && entry.msg === 'chat run failed')).toBe(true);

  const history = await h.history(threadId);
  expect(history.messages.map((m) => [m.role, m.text])).toEqual([
    ['user', 'first'],
    ['assistant', 'First answer.'],
    ['user', 'second'],
  ]);
  expect(history.runState).toEqual(state);

  fixture.fallback({ kind: 'text', text: 'Back again.' });
  expect(await handler.send(threadId, 'third', collector())).toEqual({ status: 'idle' });
  expect((await handler.history(threadId)).messages.map((m) => m.text)).toEqual([
    'first',
    'First answer.',
    'second',
    'third',
    'Back again.',
  ]);
});

test('retry after a failure runs the failed step again and answers the kept message', async () => {
  const { threadId } = createChat(h.db);
  const handler = h.manager.get(USER_ID);
  fixture.fallback({ kind: 'error', status: 500, message: 'upstream exploded' });
  expect((await handler.send(threadId, 'are you there?', collector())).status).toBe('failed');

  fixture.fallback({ kind: 'text', text: 'Yes, back now.' });
  expect(await handler.retry(threadId, collector())).toEqual({ status: 'idle' });
  expect((await handler.history(threadId)).messages.map((m) => [m.role, m.text])).toEqual([
    ['user', 'are you there?'],
    ['assistant', 'Yes, back now.'],
  ]);
  await expect(handler.retry(threadId, collector())).rejects.toThrow(/no failed answer/);
});

test('a malformed stream fails the run without retrying forever, and says so', async () => {
  fixture.script({ kind: 'malformed' });
  const { threadId } = createChat(h.db);

  const state = await h.manager.get(USER_ID).send(threadId, 'hi', collector());

  expect(state.status).toBe('failed');
  expect(state.status === 'failed' && state.reason).toMatch(/could not be read/);
  expect(fixture.requests).toHaveLength(1);
  // The OpenAI SDK's own complaint goes into the server's log, not past it onto the console.
  expect(h.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'model client' }));
});

test('an unreachable endpoint fails with a reason a person understands', async () => {
  await fixture.stop();
  const { threadId } = createChat(h.db);

  const state = await h.manager.get(USER_ID).send(threadId, 'hi', collector());

  expect(state).toEqual({ status: 'failed', reason: expect.stringMatching(/could not be reached/) });
});

test('stop() ends a running reply: the run goes idle and the chat takes the next message', async () => {
  fixture.script({ kind: 'text', text: 'one two three four five six seven eight nine ten', delayMs: 40 });
  const { threadId } = createChat(h.db);
  const handler = h.manager.get(USER_ID);
  const run = collector();

  const sending = h.run(threadId, (options) => handler.send(threadId, 'count slowly', options), run);
  await eventually(() => run.ofType('token').length >= 2, 'two tokens of the reply');
  expect(await h.runs.stop(threadId)).toBe(true);

  expect(await sending).toEqual({ status: 'idle' });
  expect(await h.runs.stop(threadId)).toBe(false);
  fixture.script({ kind: 'text', text: 'Stopped, as you asked.' });
  expect(await handler.send(threadId, 'ok', collector())).toEqual({ status: 'idle' });
  // The stopped answer's partial text is kept (marked stopped) before the next message.
  const { messages } = await handler.history(threadId);
  expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  expect(messages[1]).toMatchObject({ role: 'assistant', stopped: true });
});

test('stop() while the model has not answered yet: the request to the model is abandoned', async () => {
  // A model that never answers: the run can only end if stop() gives up on the request.
  fixture.script({ kind: 'silent' });
  const { threadId } = createChat(h.db);
  const handler = h.manager.get(USER_ID);
  const run = collector();

  const sending = h.run(threadId, (options) => handler.send(threadId, 'hello?', options), run);
  const request = await eventually(() => fixture.requests[0], 'the request to reach the model');
  expect(await h.runs.stop(threadId)).toBe(true);

  expect(await sending).toEqual({ status: 'idle' });
  expect(run.ofType('token')).toHaveLength(0);
  await eventually(() => request.signal.aborted, 'the model to see the request abandoned');
});

test('shutdown stops running runs and waits until they have wound down', async () => {
  fixture.script({ kind: 'text', text: 'a b c d e f g h i j k l', delayMs: 50 });
  const { threadId } = createChat(h.db);
  const run = collector();
  const sending = h.run(threadId, (options) => h.manager.get(USER_ID).send(threadId, 'slowly', options), run);
  await eventually(() => run.ofType('token').length >= 1, 'the first token of the reply');

  // As server.ts shuts down: the handlers go, and the registry stops their runs and waits for them.
  h.manager.shutdown();
  await h.runs.stopAll();

  expect(run.events.at(-1)).toMatchObject({ type: 'run_state', state: { status: 'idle' } });
  expect(await sending).toEqual({ status: 'idle' });
  expect(h.manager.size).toBe(0);
});

test('a model that never stops calling tools is stopped after a bounded number of steps', async () => {
  h.manager.get(USER_ID).setTools([getTimeTool()]);
  h.tools.on('clock__get_time', () => text('noon'));
  fixture.fallback({ kind: 'tool_calls', calls: [{ name: 'clock__get_time', arguments: { timezone: 'UTC' } }] });
  const { threadId } = createChat(h.db);

  const state = await h.manager.get(USER_ID).send(threadId, 'loop', collector());

  expect(state).toEqual({ status: 'failed', reason: expect.stringContaining('too many steps') });
  expect(fixture.requests.length).toBeLessThanOrEqual(26);
});
