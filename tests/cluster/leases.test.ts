/**
 * Run leases in Redis, as instances rely on them: lease stores on one key prefix stand for
 * instances (their TTL shortened, so lapses come quickly). One holder at a time, a late release
 * by a former holder cannot free someone else's lease, fencing tokens only grow, renewal keeps a
 * lease alive past its TTL, a dead holder's lease lapses and exactly one instance hears of it, a
 * run whose lease was taken from it is stopped at once and tells the chat's watchers nothing more,
 * and a Stop or a deletion whose control message is lost still reaches the run through its lease.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { RedisClient } from 'bun';
import type { ChatEvent, RunState } from '../../shared/chat-events.ts';
import type { PersonEvent } from '../../shared/chats.ts';
import type { LLMHandler, RunOptions } from '../../server/agent/llm-handler.ts';
import { TurnStartQueue } from '../../server/chats/admission.ts';
import type { ChatRow, ChatStore } from '../../server/chats/chat-store.ts';
import { LocalEventHub } from '../../server/chats/local-event-hub.ts';
import type { MessageIndex } from '../../server/chats/message-index.ts';
import { type Claim, RunRegistry, RunStopped } from '../../server/chats/run-registry.ts';
import { chatDeleted, stopRun } from '../../server/chats/run-control.ts';
import type { LeaseEvents, RunLeases } from '../../server/chats/run-leases.ts';
import type { Questions } from '../../server/chats/question-desk.ts';
import { ChatService, type MessageFiles } from '../../server/chats/service.ts';
import type { ControlChannel } from '../../server/cluster/control-channel.ts';
import { RedisControlChannel } from '../../server/cluster/redis-control-channel.ts';
import { redisRunLeases } from '../../server/chats/redis-run-leases.ts';
import { createLogger } from '../../server/log.ts';
import type { UserHandlers } from '../../server/tools/user-handlers.ts';
import { createTestRedis, type TestRedis } from '../support/services.ts';

const TTL_MS = 300;
const log = createLogger('error');

let redis: TestRedis;
let raw: RedisClient;
let control: RedisControlChannel;
const stores: RunLeases[] = [];
beforeAll(async () => {
  redis = await createTestRedis();
  raw = new RedisClient(redis.url);
  control = await RedisControlChannel.open({ target: { url: redis.url, keyPrefix: redis.prefix }, log });
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await control.close();
  raw.close();
  await redis.clear();
});

/** An instance's lease store; instances in one `deployment` share their keys. */
function instance(holder: string, deployment = '', channel: ControlChannel = control): RunLeases {
  const store = redisRunLeases({
    target: { url: redis.url, keyPrefix: `${redis.prefix}${deployment}` },
    control: channel,
    log,
    holder,
    ttlMs: TTL_MS,
    sweepMs: 50,
  });
  stores.push(store);
  return store;
}

/** Events that are only counted; `lapsed` resolves at the first lapse told to any of the stores given. */
function listenTo(...leases: RunLeases[]) {
  const lapses: { chatId: string; userId: string }[] = [];
  const { promise: lapsed, resolve } = Promise.withResolvers<void>();
  const events: LeaseEvents = {
    lost: () => {},
    lapsed: (chatId, userId) => {
      lapses.push({ chatId, userId });
      resolve();
    },
    stopRequested: () => {},
    released: () => {},
  };
  for (const store of leases) store.listen(events);
  return { lapses, lapsed };
}

const terms = (claimId: string) => ({ claimId, userId: 'user-1' });

test('one holder at a time; a former holder’s late release does not free the lease someone else holds now', async () => {
  const [a, b] = [instance('A'), instance('B')];
  const chatId = crypto.randomUUID();

  expect(await b.take(chatId, terms('b-1'))).toBeNumber();
  expect(await a.take(chatId, terms('a-1'))).toBeUndefined();
  // B's lease is gone (as when it lapsed) and A takes the chat; then B, late, lets go of what it held.
  await raw.del(`${redis.prefix}run:${chatId}`);
  expect(await a.take(chatId, terms('a-1'))).toBeNumber();
  await b.release(chatId, 'b-1');

  expect((await b.look(chatId)).lease).toMatchObject({ holder: 'A', claimId: 'a-1', userId: 'user-1' });
  expect(await b.take(chatId, terms('b-2'))).toBeUndefined();
});

test('fencing tokens grow with every lease taken or handed over', async () => {
  const [a, b] = [instance('A'), instance('B')];
  const chatId = crypto.randomUUID();

  const first = (await a.take(chatId, terms('a-1')))!;
  await a.release(chatId, 'a-1');
  const second = (await b.take(chatId, terms('b-1')))!;
  const third = (await b.handOver(chatId, 'b-1', terms('b-2')))!;

  expect(second).toBeGreaterThan(first);
  expect(third).toBeGreaterThan(second);
  expect((await a.look(chatId)).lease).toMatchObject({ holder: 'B', claimId: 'b-2', token: third });
  expect(await a.handOver(chatId, 'b-1', terms('a-2'))).toBeUndefined();
});

test('a renewed lease outlives its TTL; a dead holder’s lapses, and exactly one instance hears of it', async () => {
  // A deployment of its own: every instance of it hears of lapses (the other tests' do not listen).
  const [a, b, doomed] = [instance('A', 'lapse:'), instance('B', 'lapse:'), instance('C', 'lapse:')];
  const { lapses, lapsed } = listenTo(a, b);
  const kept = crypto.randomUUID();
  const lost = crypto.randomUUID();

  await a.take(kept, terms('a-1'));
  await doomed.take(lost, { claimId: 'c-1', userId: 'user-2' });
  // C dies: nothing renews its lease any more.
  await doomed.close();
  await lapsed;

  expect(lapses).toEqual([{ chatId: lost, userId: 'user-2' }]);
  // Told once: the lapse is taken out of the expiries by the instance that heard of it.
  expect(await raw.send('ZSCORE', [`${redis.prefix}lapse:run-expiries`, JSON.stringify([lost, 'user-2'])])).toBeNull();
  // A took its lease before C did, and C's has lapsed since: A's lived past its TTL by renewal.
  expect((await b.look(kept)).lease).toMatchObject({ holder: 'A', claimId: 'a-1' });
  expect(await b.take(lost, terms('b-1'))).toBeNumber();
});

test('a run whose lease was taken from it is stopped at once, not by the person', async () => {
  const runs = new RunRegistry(instance('A'));
  const other = instance('B');
  const chatId = crypto.randomUUID();
  const claim = await runs.claim(chatId, 'user-1', 'busy');
  const stopped = new Promise((resolve) => claim.signal.addEventListener('abort', () => resolve(claim.signal.reason)));

  // Its lease lapsed (its instance stalled past the TTL) and another instance took the chat.
  await raw.del(`${redis.prefix}run:${chatId}`);
  await other.take(chatId, terms('b-1'));

  const reason = await stopped;
  expect(reason).toBeInstanceOf(RunStopped);
  expect(reason).toMatchObject({ byPerson: false, message: expect.stringContaining('lost its lease') });
  await runs.release(chatId, claim);
  expect((await other.look(chatId)).lease).toMatchObject({ holder: 'B', claimId: 'b-1' });
});

/** The control channel of an instance whose subscription is down: stops and deletions never reach it. */
function deafToStops(channel: ControlChannel): ControlChannel {
  const dropped = new Set([stopRun.name, chatDeleted.name]);
  return {
    publish: (topic, message) => channel.publish(topic, message),
    on: (topic, handler) => (dropped.has(topic.name) ? () => {} : channel.on(topic, handler)),
    onResubscribed: (listener) => channel.onResubscribed(listener),
    close: async () => {},
  };
}

/** Resolves with the reason once the run's signal is aborted. */
const stopped = (claim: Claim) =>
  new Promise<unknown>((resolve) => {
    if (claim.signal.aborted) resolve(claim.signal.reason);
    claim.signal.addEventListener('abort', () => resolve(claim.signal.reason), { once: true });
  });

for (const { what, act, reason } of [
  { what: 'a Stop', act: (runs: RunRegistry, chatId: string) => runs.stop(chatId), reason: 'stopped by the person' },
  { what: 'deleting the chat', act: (runs: RunRegistry, chatId: string) => runs.deleted(chatId), reason: 'the chat was deleted' },
]) {
  test(`${what} whose control message never reaches the run's instance still stops the run: it is recorded on the lease`, async () => {
    const runs = new RunRegistry(instance('A', '', deafToStops(control)));
    const elsewhere = new RunRegistry(instance('B'));
    const chatId = crypto.randomUUID();
    const claim = await runs.claim(chatId, 'user-1', 'busy');
    await runs.started(chatId, claim);
    const letGo = stopped(claim).then(() => runs.release(chatId, claim));

    await act(elsewhere, chatId);

    // Found when A renewed its leases, and applied as the message would have been.
    expect(await stopped(claim)).toMatchObject({ name: 'RunStopped', byPerson: true, message: reason });
    await letGo;
    expect((await elsewhere.overlay(chatId, { status: 'idle' })).status).toBe('idle');
  });
}

/** As the LLM handler runs a turn whose model is slow: `running`, and once its signal is aborted, `idle` (llm-handler's catch). */
function untilStopped(): { handler: LLMHandler; started: Promise<AbortSignal> } {
  const { promise: started, resolve } = Promise.withResolvers<AbortSignal>();
  const at = () => new Date().toISOString();
  const send = async (threadId: string, _text: string, { emit, signal }: RunOptions): Promise<RunState> => {
    emit({ type: 'run_state', threadId, at: at(), state: { status: 'running' } });
    resolve(signal!);
    await new Promise((aborted) => signal!.addEventListener('abort', aborted, { once: true }));
    emit({ type: 'run_state', threadId, at: at(), state: { status: 'idle' } });
    return { status: 'idle' };
  };
  return { handler: { send } as unknown as LLMHandler, started };
}

/** One instance's chat service over `leases`, with the run's model stubbed; what the chat's watchers see is recorded. */
function chatServiceOn(leases: RunLeases) {
  const { handler, started } = untilStopped();
  const runs = new RunRegistry(leases);
  const hub = new LocalEventHub<ChatEvent>({ retentionMs: 60_000, maxEvents: 100 });
  const service = new ChatService({
    handlers: { llmFor: async () => handler } as unknown as UserHandlers,
    chats: { touch: async () => {}, get: async () => undefined, clearWaitingApproval: async () => undefined } as unknown as ChatStore,
    // These runs write no message and raise no approval: nothing to index, and nobody's inbox changes.
    messages: {} as MessageIndex,
    hub,
    people: new LocalEventHub<PersonEvent>({ retentionMs: 60_000, maxEvents: 100 }),
    runs,
    turnStarts: new TurnStartQueue(4),
    history: { deleteThread: async () => {} },
    // No call of these runs asks anything, and none was left open.
    questions: { withdrawLeftOpen: async () => {} } as unknown as Questions,
    roots: { server: async () => undefined, changed: async () => {} },
    connectedServers: async () => [],
    // New chats start on the catalogue's default, and these messages carry no files.
    startingModel: async () => null,
    files: {} as MessageFiles,
    log,
  });
  const chat = { id: crypto.randomUUID(), threadId: crypto.randomUUID(), title: 'Named' } as ChatRow;
  const seen: string[] = [];
  hub.subscribe(chat.id, ({ data }) => seen.push(data.type === 'run_state' ? data.state.status : data.type));
  return { service, runs, chat, seen, started };
}

test('a run whose lease was taken tells the chat’s watchers nothing more: the run holding the chat now does', async () => {
  const { service, chat, seen, started } = chatServiceOn(instance('A'));
  await service.send('user-1', chat, 'hello');
  const signal = await started;

  // Its lease lapsed (its instance stalled past the TTL) and another instance took the chat.
  await raw.del(`${redis.prefix}run:${chat.id}`);
  await instance('B').take(chat.id, terms('b-1'));
  await new Promise((aborted) => signal.addEventListener('abort', aborted, { once: true }));
  await service.drain();

  expect(seen).toEqual(['running']);
});

test('a run the person stops still ends with its events: its watchers see it idle', async () => {
  const { service, runs, chat, seen, started } = chatServiceOn(instance('A'));
  await service.send('user-1', chat, 'hello');
  await started;

  expect(await runs.stop(chat.id)).toBe(true);
  await service.drain();

  expect(seen).toEqual(['running', 'idle']);
});
