/**
 * Answers in cluster mode, as people on different instances see them: events of a run on one
 * instance reach a subscriber on another; a reconnect to a third resumes exactly; an instance that
 * dies mid-answer leaves the answer cut off, retried through another; a chat deleted through one
 * instance while it runs on another stops, and nothing of it is written afterwards. The model is
 * the stand-in in this process, streaming slowly enough for a kill or a deletion to land mid-answer.
 */
import { expect, test } from 'bun:test';
import { RedisClient, SQL } from 'bun';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { finalState, follow, newChat } from '../faults/support.ts';
import { withCluster } from '../support/cluster.ts';
import { modelEnv, on, outcomeCode } from '../support/cluster-chats.ts';
import { eventually } from '../support/eventually.ts';

const words = (count: number) => Array.from({ length: count }, (_, i) => `part${i} `);

/** Redis stream ids (the event ids in cluster mode) as numbers that compare in their order. */
const position = (id: string | undefined) => (id ?? '').split('-').map(BigInt);
const after = (a: string | undefined, b: string | undefined) => {
  const [x, y] = [position(a), position(b)];
  return x[0]! > y[0]! || (x[0] === y[0] && x[1]! > y[1]!);
};

test('sent through A, a subscriber on B receives every event, in order, exactly once', async () => {
  await using model = startOpenAIFixture();
  await withCluster({ instances: 2, env: modelEnv(model) }, async (cluster) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    const uma = await cluster.signIn('uma@countersign.dev');
    const chat = await newChat(uma);
    const onA = await follow(on(uma, a), chat.id);
    const onB = await follow(on(uma, b), chat.id);
    const text = words(40).join('');
    model.script({ kind: 'text', text, tokens: words(40), delayMs: 5 });

    await uma.clientOn(a).api.chats.send.mutate({ chatId: chat.id, text: 'Count to forty.' });
    expect(await finalState(onB.recorder)).toEqual({ status: 'idle' });
    expect(await finalState(onA.recorder)).toEqual({ status: 'idle' });
    onA.unsubscribe();
    onB.unsubscribe();

    const seenOnB = onB.recorder.events;
    // The same events as on the instance that ran the answer, under the same ids.
    expect(seenOnB).toEqual(onA.recorder.events);
    expect(new Set(seenOnB.map((e) => e.id)).size).toBe(seenOnB.length);
    expect(seenOnB.every((e, i) => i === 0 || after(e.id, seenOnB[i - 1]!.id))).toBe(true);
    const tokens = seenOnB.flatMap((e) => (e.data.type === 'token' ? [e.data.delta] : []));
    expect(tokens.join('')).toBe(text);
    const messages = seenOnB.flatMap((e) => (e.data.type === 'user_message' || e.data.type === 'assistant_message' ? [e.data] : []));
    expect(messages.map((m) => [m.message.role, m.message.text])).toEqual([
      ['user', 'Count to forty.'],
      ['assistant', text],
    ]);
  });
}, 120_000);

test('A killed mid-answer: B shows the answer cut off once its lease lapses, and Retry through C completes it', async () => {
  await using model = startOpenAIFixture();
  await withCluster({ instances: 3, env: modelEnv(model) }, async (cluster) => {
    const [a, b, c] = [cluster.instance(0), cluster.instance(1), cluster.instance(2)];
    const uma = await cluster.signIn('uma@countersign.dev');
    const chat = await newChat(uma);
    const onB = await follow(on(uma, b), chat.id);
    model.script({ kind: 'text', text: words(60).join(''), tokens: words(60), delayMs: 50 });
    await uma.clientOn(a).api.chats.send.mutate({ chatId: chat.id, text: 'Tell me a long story.' });
    await onB.recorder.until((e) => e.type === 'token' && e.delta.includes('part3 '));

    await a.kill('SIGKILL');
    // The lease lives ten seconds unrenewed; the wait is generous so a loaded machine is slow, not failing.
    const cut = await onB.recorder.until((e) => e.type === 'run_state' && e.state.status !== 'running', 60_000);
    expect(cut.type === 'run_state' && cut.state).toEqual({ status: 'failed', reason: expect.stringMatching(/did not finish.*retry/i) });
    onB.unsubscribe();
    const { history } = await uma.clientOn(b).api.chats.get.query({ chatId: chat.id });
    expect(history.messages.map((m) => [m.role, m.text])).toEqual([['user', 'Tell me a long story.']]);
    expect(history.runState).toEqual({ status: 'failed', reason: expect.stringMatching(/did not finish.*retry/i) });

    model.script({ kind: 'text', text: 'Once upon a time, and that is all.' });
    const onC = await follow(on(uma, c), chat.id);
    await uma.clientOn(c).api.chats.retry.mutate({ chatId: chat.id });
    expect(await finalState(onC.recorder)).toEqual({ status: 'idle' });
    onC.unsubscribe();
    const story = (await uma.clientOn(c).api.chats.get.query({ chatId: chat.id })).history;
    expect(story.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'Tell me a long story.'],
      ['assistant', 'Once upon a time, and that is all.'],
    ]);
    expect(story.runState).toEqual({ status: 'idle' });
  });
}, 180_000);

test('a subscriber that left A mid-answer and reconnects to C with lastEventId gets exactly the events it missed', async () => {
  await using model = startOpenAIFixture();
  await withCluster({ instances: 3, env: modelEnv(model) }, async (cluster) => {
    const [a, b, c] = [cluster.instance(0), cluster.instance(1), cluster.instance(2)];
    const uma = await cluster.signIn('uma@countersign.dev');
    const chat = await newChat(uma);
    // B follows throughout: the whole answer, to compare with.
    const whole = await follow(on(uma, b), chat.id);
    const first = await follow(on(uma, a), chat.id);
    model.script({ kind: 'text', text: words(60).join(''), tokens: words(60), delayMs: 20 });
    await uma.clientOn(b).api.chats.send.mutate({ chatId: chat.id, text: 'Count slowly.' });

    await first.recorder.until((e) => e.type === 'token' && e.delta.includes('part10 '));
    first.unsubscribe();
    const before = [...first.recorder.events];
    const lastEventId = before.at(-1)!.id;
    // Events go on while nobody follows on A.
    await whole.recorder.until((e) => e.type === 'token' && e.delta.includes('part30 '));

    const resumed = await follow(on(uma, c), chat.id, lastEventId);
    expect(await finalState(resumed.recorder)).toEqual({ status: 'idle' });
    await finalState(whole.recorder);
    resumed.unsubscribe();
    whole.unsubscribe();

    const missed = whole.recorder.events.slice(whole.recorder.events.findIndex((e) => e.id === lastEventId) + 1);
    expect(missed.length).toBeGreaterThan(0);
    expect(resumed.recorder.events).toEqual(missed);
    expect([...before, ...resumed.recorder.events]).toEqual(whole.recorder.events);
    expect(resumed.recorder.types()).not.toContain('reset');
  });
}, 120_000);

test('a chat deleted through A while it runs on B: the run stops, and nothing of it is written afterwards', async () => {
  await using model = startOpenAIFixture();
  await withCluster({ instances: 2, env: modelEnv(model) }, async (cluster) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    const uma = await cluster.signIn('uma@countersign.dev');
    const chat = await newChat(uma);
    const onB = await follow(on(uma, b), chat.id);
    // Unstopped, this answer would stream for about ten seconds and then be saved.
    model.script({ kind: 'text', text: words(200).join(''), tokens: words(200), delayMs: 50 });
    await uma.clientOn(b).api.chats.send.mutate({ chatId: chat.id, text: 'Talk for a while.' });
    await onB.recorder.until((e) => e.type === 'token' && e.delta.includes('part3 '));

    await uma.clientOn(a).api.chats.delete.mutate({ chatId: chat.id });
    const request = model.requests.at(-1)!;
    await eventually(() => request.signal.aborted, 'B to stop reading the answer');
    // The chat's run lease is where every instance learns it is running: gone once B let go.
    const redis = new RedisClient(cluster.redis.url);
    const db = new SQL({ url: cluster.schema.url, max: 1 });
    try {
      await eventually(async () => !(await redis.exists(`${cluster.redis.prefix}run:${chat.id}`)), "B's run to let go of the chat");
      onB.unsubscribe();

      const schema = cluster.schema.schema;
      const rows = await db.unsafe(
        `SELECT (SELECT count(*) FROM "${schema}".checkpoint_checkpoints WHERE thread_id = $1)
              + (SELECT count(*) FROM "${schema}".checkpoint_values WHERE thread_id = $1)
              + (SELECT count(*) FROM "${schema}".checkpoint_pending_writes WHERE thread_id = $1) AS n`,
        [chat.threadId],
      );
      expect(Number(rows[0].n)).toBe(0);
      // An event published after the deletion would have started the chat's stream again.
      expect(await redis.exists(`${cluster.redis.prefix}chat:${chat.id}:events`)).toBe(false);
      // Nor did its watcher hear of an answer that was finished.
      expect(onB.recorder.types()).not.toContain('assistant_message');

      const outcomes = await Promise.allSettled([uma.clientOn(b).api.chats.get.query({ chatId: chat.id })]);
      expect(outcomes.map(outcomeCode)).toEqual(['NOT_FOUND']);
      expect((await uma.clientOn(b).api.chats.list.query({ limit: 10 })).items).toEqual([]);
    } finally {
      redis.close();
      await db.close();
    }
  });
}, 120_000);
