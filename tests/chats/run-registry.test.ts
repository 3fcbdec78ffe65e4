/**
 * The run registry's answers, as the chat service and its watchers rely on them, on both lease
 * stores: embedded (one process: both "instances" below are the same registry) and Redis (two
 * registries on one key prefix, as two instances run them). A run is driven here as the chat
 * service drives it: claim, queued, started, raised, ended, release; a stop lets it go as a run
 * that honours its signal does.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { RunState } from '../../shared/chat-events.ts';
import { CUT_OFF_REASON } from '../../server/agent/llm-handler.ts';
import type { Ticket } from '../../server/chats/admission.ts';
import { type Claim, RunRegistry, RunStopped } from '../../server/chats/run-registry.ts';
import { RedisControlChannel } from '../../server/cluster/redis-control-channel.ts';
import { redisRunLeases } from '../../server/chats/redis-run-leases.ts';
import { DomainError } from '../../server/domain-error.ts';
import { createLogger } from '../../server/log.ts';
import { createTestRedis, type TestRedis } from '../support/services.ts';

const USER = 'user-1';
const BUSY = 'This chat is still answering.';
const DECISION_BUSY = 'This chat is busy; your decision was not applied. Reload to see where it stands.';
const log = createLogger('error');

let redis: TestRedis;
const closing: (() => Promise<void>)[] = [];
beforeAll(async () => {
  redis = await createTestRedis();
});
afterAll(async () => {
  for (const close of closing.reverse()) await close();
  await redis.clear();
});

/** Two instances' registries; embedded, one process is the only instance, so both are the same registry. */
const ports: Record<string, () => Promise<[RunRegistry, RunRegistry]>> = {
  embedded: async () => {
    const registry = new RunRegistry();
    return [registry, registry];
  },
  redis: async () => {
    const instance = async (name: string) => {
      const control = await RedisControlChannel.open({ target: { url: redis.url, keyPrefix: redis.prefix }, log });
      const registry = new RunRegistry(redisRunLeases({ target: { url: redis.url, keyPrefix: redis.prefix }, control, log, holder: name }));
      closing.push(async () => {
        await registry.close();
        await control.close();
      });
      return registry;
    };
    return [await instance('A'), await instance('B')];
  },
};

let chats = 0;
const newChatId = () => `chat-${++chats}-${crypto.randomUUID().slice(0, 8)}`;

/** The refusal's message, or 'accepted'. */
async function outcome(claiming: Promise<Claim>): Promise<string> {
  try {
    await claiming;
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict') return error.message;
    throw error;
  }
}

/** Resolves with the reason once the run's signal is aborted. */
const stopped = (claim: Claim) =>
  new Promise<unknown>((resolve) => {
    if (claim.signal.aborted) resolve(claim.signal.reason);
    claim.signal.addEventListener('abort', () => resolve(claim.signal.reason), { once: true });
  });

/** As a run does once it is stopped: it winds down and lets go (nothing finished, so its end is idle). */
function letGoWhenStopped(registry: RunRegistry, chatId: string, claim: Claim): Promise<void> {
  return stopped(claim).then(async () => {
    await registry.ended(chatId, claim, { status: 'idle' });
    await registry.release(chatId, claim);
  });
}

/** The turn-start queue's ticket of a run waiting `position` runs from starting. */
const waitingAt = (position: number): Ticket => ({ admitted: new Promise(() => {}), position: () => position, done: () => {} });

const idle: RunState = { status: 'idle' };
const cutOff: RunState = { status: 'failed', reason: CUT_OFF_REASON };

for (const [name, instances] of Object.entries(ports)) {
  describe(`run registry (${name})`, () => {
    let a: RunRegistry;
    let b: RunRegistry;
    beforeAll(async () => {
      [a, b] = await instances();
    });

    test('a chat runs one run at a time, on whichever instance claimed it; once it lets go, any instance may claim it', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY);

      expect(await outcome(b.claim(chatId, USER, BUSY))).toBe(BUSY);
      expect(await outcome(a.claim(chatId, USER, BUSY))).toBe(BUSY);
      await a.started(chatId, claim);
      expect(await b.overlay(chatId, idle)).toEqual({ status: 'running' });

      await a.release(chatId, claim);
      expect(await b.overlay(chatId, idle)).toEqual(idle);
      const next = await b.claim(chatId, USER, BUSY);
      expect(next.token).toBeGreaterThan(claim.token);
      await b.release(chatId, next);
    });

    test('a run waiting for a slot shows its place and message everywhere; stopped before it starts, the chat is as it was', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY, { text: 'hello' });
      claim.ticket = waitingAt(2);
      await a.queued(chatId, claim, 2);
      const letGo = letGoWhenStopped(a, chatId, claim);

      expect(await b.overlay(chatId, cutOff)).toEqual({ status: 'queued', position: 2, message: { text: 'hello' } });
      expect(await b.stop(chatId)).toBe(true);
      expect(await stopped(claim)).toMatchObject({ name: 'RunStopped', byPerson: true });
      await letGo;

      // It never started: the answer cut off before it is still cut off, and retry still applies.
      expect(await a.overlay(chatId, cutOff)).toEqual(cutOff);
      expect(await b.overlay(chatId, cutOff)).toEqual(cutOff);
      expect(await b.stop(chatId)).toBe(false);
    });

    test('stopped mid-answer by the person: the unfinished step is their choice, so the chat is idle, not cut off', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY, { text: 'count slowly' });
      await a.started(chatId, claim);
      const letGo = letGoWhenStopped(a, chatId, claim);

      expect(await b.stop(chatId)).toBe(true);
      await letGo;

      expect(await b.overlay(chatId, cutOff)).toEqual(idle);
      expect(await a.overlay(chatId, cutOff)).toEqual(idle);
    });

    test('a failure’s reason is shown on every instance until the chat’s next run starts', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY);
      await a.started(chatId, claim);
      await a.ended(chatId, claim, { status: 'failed', reason: 'The model could not be reached.' });
      await a.release(chatId, claim);

      expect(await b.overlay(chatId, idle)).toEqual({ status: 'failed', reason: 'The model could not be reached.' });

      const retry = await b.claim(chatId, USER, BUSY);
      expect(await a.overlay(chatId, idle)).toEqual({ status: 'running' });
      await b.started(chatId, retry);
      await b.ended(chatId, retry, idle);
      await b.release(chatId, retry);
      expect(await a.overlay(chatId, idle)).toEqual(idle);
    });

    test('a run settling after asking for an approval leaves it pending; any other run shows as running', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY);
      await a.started(chatId, claim);
      await a.raised(chatId, claim, 'interrupt-1');

      expect(await b.overlay(chatId, { status: 'awaiting_approval', interruptId: 'interrupt-1' })).toEqual({
        status: 'awaiting_approval',
        interruptId: 'interrupt-1',
      });
      expect(await b.overlay(chatId, { status: 'awaiting_approval', interruptId: 'interrupt-0' })).toEqual({ status: 'running' });
      await a.release(chatId, claim);
    });

    test('a decision on the approval a run just raised waits for that run to let go, then holds the chat; a second one is refused', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY);
      await a.started(chatId, claim);
      await a.raised(chatId, claim, 'interrupt-1');

      const accepted: Claim[] = [];
      const decide = (registry: RunRegistry) =>
        outcome(
          registry.claimForDecision(chatId, USER, 'interrupt-1').then((next) => {
            accepted.push(next);
            return next;
          }),
        );
      const decisions = [decide(b), decide(a)];
      await a.ended(chatId, claim, { status: 'awaiting_approval', interruptId: 'interrupt-1' });
      await a.release(chatId, claim);

      expect(new Set(await Promise.all(decisions))).toEqual(new Set(['accepted', DECISION_BUSY]));
      const decision = accepted[0]!;
      expect(decision.token).toBeGreaterThan(claim.token);
      expect(await outcome(b.claim(chatId, USER, BUSY))).toBe(BUSY);
      expect(await outcome(a.claim(chatId, USER, BUSY))).toBe(BUSY);
      // Whichever instance holds it, the decision's run is the chat's run now: Stop reaches it.
      expect(await a.stop(chatId)).toBe(true);
      expect(await stopped(decision)).toBeInstanceOf(RunStopped);
    });

    test('a decision while the chat runs something that asked for nothing is refused at once', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY);
      await a.started(chatId, claim);

      expect(await outcome(b.claimForDecision(chatId, USER, 'interrupt-1'))).toBe(DECISION_BUSY);
      await a.release(chatId, claim);
    });

    test('50 decisions at once on the approval a run just raised, spread over two instances: exactly one holds the chat', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY);
      await a.started(chatId, claim);
      await a.raised(chatId, claim, 'interrupt-1');

      const decisions = Array.from({ length: 50 }, (_, i) => outcome((i % 2 ? a : b).claimForDecision(chatId, USER, 'interrupt-1')));
      await a.release(chatId, claim);
      const outcomes = await Promise.all(decisions);

      expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
      expect(outcomes.filter((o) => o === DECISION_BUSY)).toHaveLength(49);
    });

    test('50 decisions at once on an approval no run holds, spread over two instances: exactly one holds the chat', async () => {
      const chatId = newChatId();
      const decisions = Array.from({ length: 50 }, (_, i) => outcome((i % 2 ? a : b).claimForDecision(chatId, USER, 'interrupt-1')));
      const outcomes = await Promise.all(decisions);

      expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
      expect(outcomes.filter((o) => o === DECISION_BUSY)).toHaveLength(49);
    });

    test('deleting a chat stops its run wherever it runs, and returns once the run has let go', async () => {
      const chatId = newChatId();
      const claim = await a.claim(chatId, USER, BUSY);
      await a.started(chatId, claim);
      void letGoWhenStopped(a, chatId, claim);

      await b.deleted(chatId);

      expect(claim.signal.reason).toMatchObject({ byPerson: true });
      // Let go already: a run still holding it would show as running.
      expect(await b.overlay(chatId, cutOff)).toEqual(cutOff);
    });
  });
}
