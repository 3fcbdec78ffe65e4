/**
 * Where state lives, chosen once from the configuration: embedded (SQLite files, everything else in
 * this process) or cluster mode (PostgreSQL for what lasts; Redis for chat events, run leases, the
 * control channel between instances, rate limits and the socket cap). Every feature is handed the
 * same interfaces either way, so nothing past this file knows which it runs on.
 */
import { BunPostgresSaver } from '../db/checkpointer/postgres-saver.ts';
import { BunSqliteSaver } from '../db/checkpointer/bun-sqlite-saver.ts';
import { openDatabase, type AppDatabase } from '../db/database.ts';
import type { ChatEvent } from '../shared/chat-events.ts';
import type { PersonEvent } from '../shared/chats.ts';
import type { EventHub } from './chats/event-hub.ts';
import { mergeTokenDeltas } from './chats/event-stream.ts';
import { LocalEventHub } from './chats/local-event-hub.ts';
import type { PersonEventHub } from './chats/person-events.ts';
import { RedisEventHub } from './chats/redis-event-hub.ts';
import { RunRegistry } from './chats/run-registry.ts';
import { LocalControlChannel, type ControlChannel } from './cluster/control-channel.ts';
import { RedisControlChannel } from './cluster/redis-control-channel.ts';
import { redisRateLimiters } from './cluster/redis-rate-limit.ts';
import { redisRunLeases } from './chats/redis-run-leases.ts';
import { RedisSocketCount } from './cluster/redis-socket-cap.ts';
import { connectRedis, INSTANCE_ID, type RedisTarget } from './cluster/redis.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { inProcessRateLimiters, type RateLimiters } from './trpc/rate-limit.ts';
import type { SharedSocketCount } from './trpc/socket-registry.ts';

/** Missed events stay replayable for ten minutes of disconnect; older gaps get a reset signal. */
const EVENT_RETENTION_MS = 10 * 60_000;
/** At most this many events per chat are kept for replay, whatever their age (embedded). */
const EVENT_BUFFER = 5_000;

export interface Engines {
  readonly db: AppDatabase;
  /** LangGraph's checkpoints, one thread per chat. */
  readonly checkpointer: BunSqliteSaver | BunPostgresSaver;
  /** What every instance must apply at once. */
  readonly control: ControlChannel;
  /** Each chat's events, replayable; token deltas of one tick go out as one event (one frame). */
  readonly hub: EventHub<ChatEvent>;
  /** Each person's changes to their chats (the list, the approval inbox), replayable, keyed by person id. */
  readonly people: PersonEventHub;
  /** The one owner of run state: which chats run, where, and how their last run ended. */
  readonly runs: RunRegistry;
  readonly limiters: RateLimiters;
  /** Open sockets per person across instances; undefined: only this process's count. */
  readonly sharedSocketCount: SharedSocketCount | undefined;
  /** Closes what the engines hold open, once runs have let go and sockets are closed; the database last. */
  closeShared(): Promise<void>;
  closeStores(): Promise<void>;
}

export async function openEngines(config: Config, log: Logger): Promise<Engines> {
  const { cluster } = config;
  if (!cluster) {
    const db = await openDatabase(config.databasePath);
    // Sharing the app's connection when both live in one file keeps a single writer per process.
    const checkpointer = new BunSqliteSaver(
      db.kind === 'sqlite' && config.checkpointDatabasePath === config.databasePath ? db.sqlite : config.checkpointDatabasePath,
    );
    const runs = new RunRegistry();
    const hub = new LocalEventHub<ChatEvent>({ retentionMs: EVENT_RETENTION_MS, maxEvents: EVENT_BUFFER, merge: mergeTokenDeltas });
    const people = new LocalEventHub<PersonEvent>({ retentionMs: EVENT_RETENTION_MS, maxEvents: EVENT_BUFFER });
    return {
      db,
      checkpointer,
      control: new LocalControlChannel(),
      hub,
      people,
      runs,
      limiters: inProcessRateLimiters,
      sharedSocketCount: undefined,
      async closeShared() {
        await Promise.allSettled([runs.close(), hub.close(), people.close()]);
      },
      async closeStores() {
        checkpointer.close();
        await db.close();
      },
    };
  }

  const target: RedisTarget = { url: cluster.redisUrl, keyPrefix: cluster.redisKeyPrefix };
  const db = await openDatabase({ url: cluster.databaseUrl, schema: cluster.databaseSchema });
  const checkpointer = await BunPostgresSaver.open({ url: cluster.databaseUrl, schema: cluster.databaseSchema });
  const control = await RedisControlChannel.open({ target, log: log.child({ component: 'control' }) });
  const hub = new RedisEventHub<ChatEvent>({
    redis: target,
    log: log.child({ component: 'events' }),
    retentionMs: EVENT_RETENTION_MS,
    merge: mergeTokenDeltas,
  });
  // Its own key prefix: a person's stream is keyed by their id, which must never meet a chat's stream.
  const people = new RedisEventHub<PersonEvent>({
    redis: { ...target, keyPrefix: `${target.keyPrefix}people:` },
    log: log.child({ component: 'person-events' }),
    retentionMs: EVENT_RETENTION_MS,
  });
  const runs = new RunRegistry(redisRunLeases({ target, control, ttlMs: cluster.runLeaseMs, log: log.child({ feature: 'runs' }) }));
  // Limits and the socket cap run one short script per call: one shared connection is enough.
  const limits = connectRedis(target);
  const sharedSocketCount = new RedisSocketCount({
    client: limits,
    keyPrefix: target.keyPrefix,
    instanceId: INSTANCE_ID,
    onError: (error) => log.warn('counting sockets in redis failed', { error }),
  });
  return {
    db,
    checkpointer,
    control,
    hub,
    people,
    runs,
    limiters: redisRateLimiters(limits, target.keyPrefix),
    sharedSocketCount,
    async closeShared() {
      await Promise.allSettled([runs.close(), hub.close(), people.close(), sharedSocketCount.close()]);
      await control.close();
      limits.close();
    },
    async closeStores() {
      await checkpointer.close();
      await db.close();
    },
  };
}
