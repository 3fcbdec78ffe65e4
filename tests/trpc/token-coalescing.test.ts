/**
 * Token deltas of one message published within one tick go out as one event carrying their
 * concatenation: fewer events, exactly the same text, order with other events kept, ids
 * consecutive, and a subscriber resuming from an id in the middle gets exactly the rest. The web
 * chat's reducer shows the same text from merged deltas as from single ones. No timing is asserted:
 * the end of a tick is awaited with setImmediate, as the hub flushes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { applyEvent, type ConversationView } from '../../client/src/state/conversation-view.ts';
import type { ChatEvent } from '../../shared/chat-events.ts';
import type { EventHub, HubEvent } from '../../server/chats/event-hub.ts';
import { chatEventStream, mergeTokenDeltas } from '../../server/chats/event-stream.ts';
import { LocalEventHub } from '../../server/chats/local-event-hub.ts';
import { follow } from '../faults/support.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const THREAD = 'thread-1';
const CHAT = 'chat-1';
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const token = (delta: string, messageId = 'm1'): ChatEvent => ({ type: 'token', threadId: THREAD, messageId, delta });
const running: ChatEvent = { type: 'run_state', threadId: THREAD, at: '2026-01-01T00:00:00.000Z', state: { status: 'running' } };
const idle: ChatEvent = { type: 'run_state', threadId: THREAD, at: '2026-01-01T00:00:01.000Z', state: { status: 'idle' } };
const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${from + i} `);

function newHub() {
  return new LocalEventHub<ChatEvent>({ retentionMs: 60_000, maxEvents: 1_000, merge: mergeTokenDeltas });
}

function record(hub: EventHub<ChatEvent>) {
  const seen: HubEvent<ChatEvent>[] = [];
  hub.subscribe(CHAT, (event) => seen.push(event));
  return seen;
}

const textOf = (events: HubEvent<ChatEvent>[], messageId = 'm1') =>
  events.map((e) => (e.data.type === 'token' && e.data.messageId === messageId ? e.data.delta : '')).join('');
const seqs = (events: HubEvent<ChatEvent>[]) => events.map((e) => Number(e.id.split('.')[1]));

describe('the hub merges token deltas per tick', () => {
  test('a burst of deltas in one tick arrives as fewer events whose concatenation is exactly the text', async () => {
    const hub = newHub();
    const seen = record(hub);
    const deltas = words(200);
    for (const delta of deltas) hub.publish(CHAT, token(delta));
    await tick();

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(deltas.length);
    expect(textOf(seen)).toBe(deltas.join(''));
    expect(seqs(seen)).toEqual(seen.map((_, i) => i + 1));
    expect(await hub.cursor(CHAT)).toBe(seen.at(-1)!.id);
  });

  test('deltas over several ticks keep their text and order, and ids stay consecutive', async () => {
    const hub = newHub();
    const seen = record(hub);
    const deltas = words(30);
    for (let i = 0; i < deltas.length; i++) {
      hub.publish(CHAT, token(deltas[i]!));
      if (i % 7 === 6) await tick();
    }
    await tick();
    expect(textOf(seen)).toBe(deltas.join(''));
    expect(seqs(seen)).toEqual(seen.map((_, i) => i + 1));
  });

  test('any other event publishes the pending tokens first, so order is kept exactly', async () => {
    const hub = newHub();
    const seen = record(hub);
    hub.publish(CHAT, running);
    hub.publish(CHAT, token('Hel'));
    hub.publish(CHAT, token('lo'));
    hub.publish(CHAT, { type: 'tool_progress', threadId: THREAD, toolCallId: 't1', progress: 1 });
    hub.publish(CHAT, token(', '));
    hub.publish(CHAT, token('there', 'm2'));
    hub.publish(CHAT, token('!', 'm2'));
    hub.publish(CHAT, idle);
    // Nothing is held once a non-token event was published: all of it is out before the tick ends.
    expect(seen.map((e) => e.data)).toEqual([
      running,
      token('Hello'),
      { type: 'tool_progress', threadId: THREAD, toolCallId: 't1', progress: 1 },
      token(', '),
      token('there!', 'm2'),
      idle,
    ]);
    expect(seqs(seen)).toEqual([1, 2, 3, 4, 5, 6]);
    await tick();
    expect(seen).toHaveLength(6);
  });

  test('tokens of different chats are merged apart', async () => {
    const hub = newHub();
    const a = record(hub);
    const b: HubEvent<ChatEvent>[] = [];
    hub.subscribe('chat-2', (event) => b.push(event));
    hub.publish(CHAT, token('a1 '));
    hub.publish('chat-2', token('b1 '));
    hub.publish(CHAT, token('a2 '));
    hub.publish('chat-2', token('b2 '));
    await tick();
    expect(a.map((e) => e.data)).toEqual([token('a1 a2 ')]);
    expect(b.map((e) => e.data)).toEqual([token('b1 b2 ')]);
  });

  test('a hub without merge publishes every event at once, as before', () => {
    const hub = new LocalEventHub<ChatEvent>({ retentionMs: 60_000, maxEvents: 1_000 });
    const seen = record(hub);
    for (const delta of words(5)) hub.publish(CHAT, token(delta));
    expect(seen.map((e) => e.data)).toEqual(words(5).map((d) => token(d)));
  });
});

describe('the event stream and replay give exactly the missed text', () => {
  async function take(stream: AsyncGenerator<unknown>, until: (data: ChatEvent) => boolean) {
    const out: { id: string; data: ChatEvent }[] = [];
    for await (const item of stream) {
      const [id, data] = item as [string, ChatEvent];
      out.push({ id, data });
      if (until(data)) break;
    }
    return out;
  }

  test('resubscribing with a lastEventId in the middle of the answer gives exactly the rest', async () => {
    const hub = newHub();
    const all = record(hub);
    const deltas = words(120);
    hub.publish(CHAT, running);
    for (let i = 0; i < deltas.length; i++) {
      hub.publish(CHAT, token(deltas[i]!));
      if (i % 10 === 9) await tick();
    }
    await tick();
    hub.publish(CHAT, idle);

    const tokenEvents = all.filter((e) => e.data.type === 'token');
    expect(tokenEvents.length).toBeGreaterThan(2);
    expect(tokenEvents.length).toBeLessThan(deltas.length);
    const middle = tokenEvents[Math.floor(tokenEvents.length / 2)]!;
    const upTo = all.slice(0, all.indexOf(middle) + 1);

    const resumed = await take(
      chatEventStream(hub, CHAT, middle.id, undefined),
      (data) => data.type === 'run_state' && data.state.status === 'idle',
    );
    expect(resumed.map((e) => e.id)).toEqual(all.slice(upTo.length).map((e) => e.id));
    expect(textOf(upTo) + textOf(resumed)).toBe(deltas.join(''));
  });

  test('tokens held when a subscriber starts from the cursor reach it live, once', async () => {
    const hub = newHub();
    hub.publish(CHAT, running);
    hub.publish(CHAT, token('held '));
    const stream = chatEventStream(hub, CHAT, await hub.cursor(CHAT), undefined);
    const reading = take(stream, (data) => data.type === 'run_state' && data.state.status === 'idle');
    await tick();
    hub.publish(CHAT, token('more '));
    hub.publish(CHAT, idle);
    const got = await reading;
    expect(got.map((e) => e.data)).toEqual([token('held '), token('more '), idle]);
  });
});

test('the web chat shows the same text from merged deltas as from single ones', () => {
  const deltas = ['Hel', 'lo', ', ', 'wor', 'ld'];
  const view = (): ConversationView => ({
    messages: [],
    pendingApproval: null,
    pendingQuestions: [],
    runState: { status: 'running' },
    progress: {},
  });
  const single = view();
  for (const delta of deltas) applyEvent(single, token(delta));
  const merged = view();
  applyEvent(merged, token(deltas.slice(0, 2).join('')));
  applyEvent(merged, token(deltas.slice(2).join('')));
  expect(merged.messages).toEqual(single.messages);
  expect(merged.messages[0]).toMatchObject({ role: 'assistant', id: 'm1', text: 'Hello, world' });
});

describe('through the server', () => {
  let server: TestServer;
  let uma: Person;
  beforeAll(async () => {
    server = await startTestServer();
    uma = await signIn(server.url, 'uma@countersign.dev');
  });
  afterAll(async () => {
    await uma.client.close();
    await server[Symbol.asyncDispose]();
  });

  test('the streamed deltas add up to exactly the answer, and resuming from the middle gives the rest', async () => {
    const api = uma.client.api;
    const chat = await api.chats.create.mutate({ enabledServers: [] });
    const { cursor } = await api.chats.get.query({ chatId: chat.id });
    const steady = await follow(uma, chat.id, cursor);
    await api.chats.send.mutate({ chatId: chat.id, text: 'Tell me a little about yourself, at some length please.' });
    const answer = await steady.recorder.until((e) => e.type === 'assistant_message');
    await steady.recorder.until((e) => e.type === 'run_state' && e.state.status === 'idle');
    steady.unsubscribe();
    if (answer.type !== 'assistant_message') throw new Error('unreachable');

    // A new chat's title comes after the run; this test is about the answer.
    const events = steady.recorder.events.filter((e) => e.data.type !== 'chat_updated');
    const tokens = events.filter((e) => e.data.type === 'token' && e.data.messageId === answer.message.id);
    const text = (list: typeof events) => list.map((e) => (e.data.type === 'token' ? e.data.delta : '')).join('');
    expect(tokens.length).toBeGreaterThan(0);
    expect(text(tokens)).toBe(answer.message.text);
    const ids = events.map((e) => Number(e.id!.split('.')[1]));
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));

    const middle = tokens[Math.floor((tokens.length - 1) / 2)]!;
    const resumed = await follow(uma, chat.id, middle.id);
    await resumed.recorder.until((e) => e.type === 'run_state' && e.state.status === 'idle');
    resumed.unsubscribe();
    const before = events.slice(0, events.indexOf(middle) + 1);
    const rest = resumed.recorder.events.filter((e) => e.data.type !== 'chat_updated');
    expect(rest.map((e) => e.id)).toEqual(events.slice(before.length).map((e) => e.id));
    expect(text(before.filter((e) => tokens.includes(e))) + text(rest)).toBe(answer.message.text);
  });
});
