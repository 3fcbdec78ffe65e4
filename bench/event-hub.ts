/**
 * What a chat event costs from publish to delivery on another instance: the in-process hub (one
 * instance: the subscriber is on the same hub) against Redis Streams (two RedisEventHubs, as two
 * instances would have, in this process). Events that do not merge (tool progress), published 50
 * per event-loop turn until all are delivered to one subscriber. Server CPU is this process's
 * (publisher and subscriber together), per event; Redis's own CPU is read from INFO and shown apart.
 * Needs the Redis of this machine (REDIS_URL, default redis://127.0.0.1:6379).
 */
import { RedisClient } from 'bun';
import type { EventHub } from '../server/chats/event-hub.ts';
import { mergeTokenDeltas } from '../server/chats/event-stream.ts';
import { LocalEventHub } from '../server/chats/local-event-hub.ts';
import { RedisEventHub } from '../server/chats/redis-event-hub.ts';
import { createLogger } from '../server/log.ts';
import type { ChatEvent } from '../shared/chat-events.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { redisCpuUs } from './lib/service-cpu.ts';

const COMMAND = 'bun bench/event-hub.ts';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVENTS = 20_000;
const PER_TURN = 50;
const RETENTION_MS = 10 * 60_000;
const progress = (n: number): ChatEvent => ({ type: 'tool_progress', threadId: 'bench-thread', toolCallId: 'bench-call', progress: n });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Run {
  cpuUs: number;
  wallMs: number;
}

/** Publishes EVENTS on `publisher` and waits until a subscriber on `follower` has them all. */
async function measure(publisher: EventHub<ChatEvent>, follower: EventHub<ChatEvent>, events: number): Promise<Run> {
  const chatId = `bench-${crypto.randomUUID()}`;
  const { promise: delivered, resolve } = Promise.withResolvers<void>();
  let received = 0;
  const stop = follower.subscribe(
    chatId,
    () => {
      if (++received === events) resolve();
    },
    { after: await follower.cursor(chatId) },
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < events; i++) {
    publisher.publish(chatId, progress(i));
    if (i % PER_TURN === PER_TURN - 1) await turn();
  }
  await delivered;
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  stop();
  await publisher.drop(chatId);
  return { cpuUs: used.user + used.system, wallMs };
}

export async function eventHub(): Promise<Figure[]> {
  const out = figures('event hub', COMMAND);
  const add = (label: string, run: Run, note?: string) => {
    out.add(`${label}: server CPU per event`, run.cpuUs / EVENTS, 'µs', note);
    out.add(`${label}: events delivered per second`, (EVENTS / run.wallMs) * 1000, 'events/s');
  };

  const local = new LocalEventHub<ChatEvent>({ retentionMs: RETENTION_MS, maxEvents: EVENTS, merge: mergeTokenDeltas });
  await measure(local, local, 2_000);
  add('in-process hub', await measure(local, local, EVENTS));
  await local.close();

  const prefix = `cs:bench:${crypto.randomUUID().slice(0, 8)}:`;
  const hub = () =>
    new RedisEventHub<ChatEvent>({
      redis: { url: REDIS_URL, keyPrefix: prefix },
      retentionMs: RETENTION_MS,
      merge: mergeTokenDeltas,
      log: createLogger('error'),
    });
  const a = hub();
  const b = hub();
  const admin = new RedisClient(REDIS_URL);
  try {
    await measure(a, b, 2_000);
    const redisBefore = await redisCpuUs(admin);
    const run = await measure(a, b, EVENTS);
    const redisUs = ((await redisCpuUs(admin)) - redisBefore) / EVENTS;
    add('Redis Streams, published on one hub, delivered on another', run, `Redis server's own CPU: ${redisUs.toFixed(1)} µs per event`);
  } finally {
    await Promise.all([a.close(), b.close()]);
    admin.close();
  }
  return out.list;
}

// bench/cluster.ts shows these figures beside its own.
if (import.meta.main) await runAlone(eventHub);
