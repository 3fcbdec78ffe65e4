/**
 * LangGraph checkpointer on bun:sqlite. The official SqliteSaver needs better-sqlite3, which Bun
 * cannot load, and it stores every channel's full value at every step. This saver stores channel
 * values the way PostgresSaver does: one row per (thread, namespace, channel, version), written
 * only when `newVersions` says the channel changed, and joined back through the versions a
 * checkpoint names. Values are serialized (async) first; the SQL then runs as one synchronous
 * transaction (tables.ts).
 *
 * A list that extends an earlier version's list (a plain messages channel at each step, or the
 * periodic snapshot of LangGraph's MessagesDeltaValue) is stored as its new items plus a reference
 * to that version (append-only.ts), so a step writes what it added, not the whole history.
 *
 * A read takes every row it needs in one read transaction, synchronously, and deserializes them
 * afterwards; list values already deserialized once are reused (list-value-cache.ts).
 */
import { Database } from 'bun:sqlite';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  getCheckpointId,
  maxChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type DeltaChannelHistory,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { AppendOnlyLists, type ChannelKey } from './append-only.ts';
import { ListValueCache } from './list-value-cache.ts';
import { migrateCheckpointTables } from './schema.ts';
import {
  CheckpointTables,
  type CheckpointKey,
  type CheckpointRow,
  type SerializedValue,
  type StoredChannelValue,
  type WriteRow,
} from './tables.ts';

type StoredCheckpoint = Omit<Checkpoint, 'channel_values'>;

/** A channel value as read: already deserialized (cached), or its stored rows, newest first (append-only.ts). */
type ChannelRead = { cached: unknown } | { rows: StoredChannelValue[] };
type ChannelReads = [key: ChannelKey, version: string, read: ChannelRead][];

/** A DeltaChannel history walk (getDeltaChannelHistory) as it goes. */
interface DeltaWalk {
  thread: string;
  checkpointNs: string;
  /** The channels whose seed is still to be found. */
  remaining: Set<string>;
  /** The channels with any stored value in the thread: only those can have a seed. */
  seedable: Set<string>;
  /** Each ancestor's writes to the channels still remaining there, nearest ancestor first. */
  blocks: { checkpointId: string; writes: WriteRow[] }[];
  seeds: ChannelReads;
}

/** The rows of one checkpoint tuple, read together. */
interface TupleRead {
  row: CheckpointRow;
  writes: WriteRow[];
  /** Undefined when the row does not name its versions (written before that column): read once it is deserialized. */
  values: ChannelReads | undefined;
}

export class BunSqliteSaver extends BaseCheckpointSaver {
  readonly db: Database;
  private readonly tables: CheckpointTables;
  private readonly lists = new AppendOnlyLists();
  private readonly decoded = new ListValueCache();
  private readonly ownsDatabase: boolean;

  /**
   * @param database a file path (opened here and closed by `close()`), or a connection the
   *   caller owns, such as the application's database handle.
   */
  constructor(database: string | Database, serde?: SerializerProtocol) {
    super(serde);
    this.ownsDatabase = typeof database === 'string';
    this.db = typeof database === 'string' ? new Database(database, { create: true, strict: true }) : database;
    // WAL lets readers run beside the writer; NORMAL stays durable across process crashes in WAL
    // mode; the busy timeout makes a second connection wait for the lock instead of failing.
    this.db.run('PRAGMA journal_mode = WAL');
    this.db.run('PRAGMA synchronous = NORMAL');
    this.db.run('PRAGMA busy_timeout = 5000');
    migrateCheckpointTables(this.db);
    this.tables = new CheckpointTables(this.db);
  }

  /** Finalizes the saver's statements, and closes the database if this saver opened it; a shared connection stays with its owner. */
  close(): void {
    this.tables.close();
    if (this.ownsDatabase) this.db.close();
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = config.configurable?.thread_id;
    if (threadId === undefined || threadId === null) return undefined;
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? '');
    const checkpointId = getCheckpointId(config);
    const read = this.tables.read(() => {
      const row = checkpointId
        ? this.tables.checkpoint(String(threadId), checkpointNs, checkpointId)
        : this.tables.latestCheckpoint(String(threadId), checkpointNs);
      return row && this.readTuple(row);
    });
    return read && this.loadTuple(read);
  }

  async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpointId } = config.configurable ?? {};
    const beforeId = options?.before?.configurable?.checkpoint_id;
    // Fetched at once: a statement stepped across `await`s would hold a read snapshot open.
    const rows = this.tables.searchCheckpoints({
      threadId: threadId ? String(threadId) : undefined,
      checkpointNs: checkpointNs === undefined || checkpointNs === null ? undefined : String(checkpointNs),
      checkpointId: checkpointId ? String(checkpointId) : undefined,
      beforeCheckpointId: beforeId ? String(beforeId) : undefined,
      metadata: Object.entries(options?.filter ?? {}).filter(([, value]) => value !== undefined),
      limit: options?.limit === undefined ? undefined : Math.max(0, Math.trunc(options.limit)),
    });
    for (const row of rows) yield await this.loadTuple(this.tables.read(() => this.readTuple(row)));
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw new Error('put: config.configurable is missing');
    const threadId = config.configurable.thread_id;
    if (threadId === undefined || threadId === null || threadId === '') {
      throw new Error('put: config.configurable.thread_id is missing');
    }
    const checkpointNs = String(config.configurable.checkpoint_ns ?? '');
    const { channel_values: values, ...stored } = checkpoint;
    const planned = Object.entries(newVersions)
      // A channel with no value at its new version (emptied, or a DeltaChannel between
      // snapshots) needs no row: finding none when reading the version back means "empty".
      .filter(([channel]) => values[channel] !== undefined)
      .map(([channel, version]) => {
        const key: ChannelKey = { threadId: String(threadId), checkpointNs, channel };
        return { key, version: String(version), ...this.lists.plan(key, values[channel]) };
      });

    const [serialized, metadataJson, changedValues] = await Promise.all([
      this.dump(stored),
      this.dumpMetadata(metadata),
      Promise.all(
        planned.map(async (value) => ({
          channel: value.key.channel,
          version: value.version,
          base_version: value.baseVersion,
          ...(await this.dump(value.stored)),
        })),
      ),
    ]);
    this.tables.saveCheckpoint(
      {
        thread_id: String(threadId),
        checkpoint_ns: checkpointNs,
        checkpoint_id: checkpoint.id,
        parent_checkpoint_id: config.configurable.checkpoint_id ?? null,
        checkpoint: serialized,
        metadata: metadataJson,
        channel_versions: JSON.stringify(
          Object.fromEntries(Object.entries(checkpoint.channel_versions).map(([channel, version]) => [channel, String(version)])),
        ),
      },
      changedValues,
    );
    for (const value of planned) {
      if (value.items !== undefined) this.lists.remember(value.key, value.version, value.items, value.depth);
    }
    return { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ''): Promise<void> {
    const threadId = config.configurable?.thread_id;
    const checkpointId = config.configurable?.checkpoint_id;
    if (threadId === undefined || threadId === null || threadId === '') {
      throw new Error('putWrites: config.configurable.thread_id is missing');
    }
    if (!checkpointId) throw new Error('putWrites: config.configurable.checkpoint_id is missing');
    const rows = await Promise.all(
      writes.map(async ([channel, value], position) => ({
        idx: WRITES_IDX_MAP[channel] ?? position,
        channel,
        ...(await this.dump(value)),
      })),
    );
    const key: CheckpointKey = {
      thread_id: String(threadId),
      checkpoint_ns: String(config.configurable?.checkpoint_ns ?? ''),
      checkpoint_id: String(checkpointId),
    };
    this.tables.saveWrites(key, taskId, taskPath, rows);
  }

  async deleteThread(threadId: string): Promise<void> {
    this.tables.deleteThread(String(threadId));
    this.lists.forgetThread(String(threadId));
    this.decoded.forgetThread(String(threadId));
  }

  /**
   * Channel versions key the stored values, so two branches forked from one checkpoint must
   * never mint the same version for different values, as the default counter does (both go
   * from 4 to 5). A random fraction on top of the counter keeps each branch's versions apart
   * while they stay numbers that increase, which is all LangGraph compares.
   */
  override getNextVersion(current: number | undefined): number {
    return Math.floor(current ?? 0) + 1 + Math.random();
  }

  /**
   * Rebuilds DeltaChannel values (e.g. MessagesDeltaValue) from the writes since their last
   * snapshot, under the base method's contract. The base walks `getTuple`, which loads every
   * channel's value and every write of each ancestor; this reads, in one read transaction, each
   * ancestor's parent and versions and its writes, and deserializes only the requested channels'
   * writes and seeds. (A recursive CTE doing the walk in one statement, or one join per ancestor,
   * cost SQLite about three times these two point lookups per ancestor.)
   */
  override async getDeltaChannelHistory(options: {
    config: RunnableConfig;
    channels: string[];
  }): Promise<Record<string, DeltaChannelHistory>> {
    const { config, channels } = options;
    const walk: DeltaWalk = {
      thread: String(config.configurable?.thread_id),
      checkpointNs: String(config.configurable?.checkpoint_ns ?? ''),
      remaining: new Set(channels),
      seedable: new Set(),
      blocks: [],
      seeds: [],
    };
    const threadId = config.configurable?.thread_id;
    if (channels.length > 0 && threadId !== undefined && threadId !== null) {
      const checkpointId = getCheckpointId(config);
      let undecided = this.tables.read(() => {
        const target = checkpointId
          ? this.tables.ancestor(walk.thread, walk.checkpointNs, checkpointId)
          : this.tables.latestCheckpoint(walk.thread, walk.checkpointNs);
        // A channel with no stored value in the thread (a DeltaChannel before its first snapshot)
        // cannot be seeded by any ancestor, so no ancestor's versions need looking at for it.
        for (const ch of channels) if (this.tables.hasChannelValues(walk.thread, walk.checkpointNs, ch)) walk.seedable.add(ch);
        return this.walkAncestors(walk, target?.parent_checkpoint_id ?? null);
      });
      // Only an ancestor written before the channel_versions column stops the walk here.
      while (undecided !== undefined) {
        const { checkpoint, parent_checkpoint_id: parent } = undecided;
        const versions = ((await this.load(checkpoint)) as StoredCheckpoint).channel_versions ?? {};
        undecided = this.tables.read(() => {
          this.takeSeeds(walk, versions);
          return this.walkAncestors(walk, parent);
        });
      }
    }
    const [seeds, writes] = await Promise.all([
      Promise.all(
        walk.seeds.map(async ([key, version, read]) => [key.channel, await this.decodeChannelValue(key, version, read)] as const),
      ),
      this.decodeDeltaWrites(walk),
    ]);
    const seedOf = new Map(seeds);
    return Object.fromEntries(
      channels.map((ch): [string, DeltaChannelHistory] => {
        const history: DeltaChannelHistory = { writes: writes.filter((write) => write[1] === ch) };
        if (seedOf.has(ch)) history.seed = seedOf.get(ch);
        return [ch, history];
      }),
    );
  }

  /**
   * Walks up from `from` to the seeds of the remaining channels or the root, inside a read.
   * Returns the first ancestor written before the channel_versions column whose versions the
   * walk needs: only deserializing it tells them.
   */
  private walkAncestors(walk: DeltaWalk, from: string | null): CheckpointRow | undefined {
    const { thread, checkpointNs, remaining } = walk;
    for (let id = from; id !== null && remaining.size > 0; ) {
      const ancestor = this.tables.ancestor(thread, checkpointNs, id);
      if (ancestor === undefined) break;
      // The ancestor's writes produced its child, so they replay on top of the ancestor's value.
      const key: CheckpointKey = { thread_id: thread, checkpoint_ns: checkpointNs, checkpoint_id: id };
      walk.blocks.push({ checkpointId: id, writes: this.tables.writes(key).filter((w) => remaining.has(w.channel)) });
      if ([...remaining].some((ch) => walk.seedable.has(ch))) {
        if (ancestor.channel_versions === null) return this.tables.checkpoint(thread, checkpointNs, id);
        this.takeSeeds(walk, JSON.parse(ancestor.channel_versions) as ChannelVersions);
      }
      id = ancestor.parent_checkpoint_id;
    }
    return undefined;
  }

  /** Takes as seeds the remaining channels' values stored at these versions (an ancestor's), inside a read. */
  private takeSeeds(walk: DeltaWalk, versions: ChannelVersions): void {
    for (const channel of walk.remaining) {
      if (!walk.seedable.has(channel) || versions[channel] === undefined) continue;
      const key: ChannelKey = { threadId: walk.thread, checkpointNs: walk.checkpointNs, channel };
      const read = this.readChannelValue(key, String(versions[channel]));
      if (read === undefined) continue;
      walk.seeds.push([key, String(versions[channel]), read]);
      walk.remaining.delete(channel);
    }
  }

  /** A checkpoint's writes and, if the row names its versions, its channel values; inside a read. */
  private readTuple(row: CheckpointRow): TupleRead {
    const versions = row.channel_versions === null ? undefined : (JSON.parse(row.channel_versions) as ChannelVersions);
    return { row, writes: this.tables.writes(row), values: versions && this.readChannelValues(row, versions) };
  }

  private async loadTuple({ row, writes, values }: TupleRead): Promise<CheckpointTuple> {
    const stored = (await this.load(row.checkpoint)) as StoredCheckpoint;
    const reads = values ?? this.tables.read(() => this.readChannelValues(row, stored.channel_versions ?? {}));
    const checkpoint: Checkpoint = {
      ...stored,
      channel_values: Object.fromEntries(
        await Promise.all(reads.map(async ([key, version, read]) => [key.channel, await this.decodeChannelValue(key, version, read)])),
      ),
    };
    if (checkpoint.v < 4 && row.parent_checkpoint_id !== null) {
      await this.migratePendingSends(checkpoint, { ...row, checkpoint_id: row.parent_checkpoint_id });
    }
    const tuple: CheckpointTuple = {
      config: configFor(row, row.checkpoint_id),
      checkpoint,
      metadata: (await this.serde.loadsTyped('json', row.metadata)) as CheckpointMetadata,
      pendingWrites: await this.decodeWrites(writes),
    };
    if (row.parent_checkpoint_id !== null) tuple.parentConfig = configFor(row, row.parent_checkpoint_id);
    return tuple;
  }

  /** The stored values of the channels at these versions; channels with none stored are left out. */
  private readChannelValues(row: CheckpointKey, versions: ChannelVersions): ChannelReads {
    const reads: ChannelReads = [];
    for (const [channel, version] of Object.entries(versions)) {
      const key: ChannelKey = { threadId: row.thread_id, checkpointNs: row.checkpoint_ns, channel };
      const read = this.readChannelValue(key, String(version));
      if (read !== undefined) reads.push([key, String(version), read]);
    }
    return reads;
  }

  /** A channel's value at a version, with the versions it extends (append-only.ts); undefined if none is stored. */
  private readChannelValue(key: ChannelKey, version: string): ChannelRead | undefined {
    const cached = this.decoded.get(key.threadId, channelValueId(key, version));
    if (cached !== undefined) return { cached };
    const rows: StoredChannelValue[] = [];
    for (let next: string | null = version; next !== null; ) {
      const stored = this.tables.channelValue(key.threadId, key.checkpointNs, key.channel, next);
      if (stored === undefined) {
        if (rows.length === 0) return undefined;
        throw new Error(`checkpoint value of channel "${key.channel}" at ${version} extends version ${next}, which is missing`);
      }
      rows.push(stored);
      next = stored.base_version;
    }
    return { rows };
  }

  private async decodeChannelValue(key: ChannelKey, version: string, read: ChannelRead): Promise<unknown> {
    if ('cached' in read) return read.cached;
    const value = this.lists.assemble(key, version, await Promise.all(read.rows.map((stored) => this.load(stored))));
    const storedBytes = read.rows.reduce((sum, stored) => sum + stored.blob.byteLength, 0);
    return this.decoded.keep(key.threadId, channelValueId(key, version), value, storedBytes);
  }

  /**
   * A DeltaChannel's writes, from the cache where it has them: they are replayed at every read of
   * a checkpoint after them until the next snapshot. Special writes (negative idx) may be
   * replaced, so they are never kept.
   */
  private decodeDeltaWrites(walk: DeltaWalk): Promise<CheckpointPendingWrite[]> {
    // Oldest ancestor first, as they replay.
    const writes = walk.blocks.toReversed().flatMap(({ checkpointId, writes }) => writes.map((w) => ({ checkpointId, w })));
    return Promise.all(
      writes.map(async ({ checkpointId, w }): Promise<CheckpointPendingWrite> => {
        if (w.idx < 0) return [w.task_id, w.channel, await this.load(w)];
        const id = JSON.stringify([walk.checkpointNs, checkpointId, w.task_id, w.idx]);
        const value = this.decoded.get(walk.thread, id) ?? this.decoded.keep(walk.thread, id, await this.load(w), w.blob.byteLength);
        return [w.task_id, w.channel, value];
      }),
    );
  }

  private decodeWrites(writes: readonly WriteRow[]): Promise<CheckpointPendingWrite[]> {
    return Promise.all(writes.map(async (w): Promise<CheckpointPendingWrite> => [w.task_id, w.channel, await this.load(w)]));
  }

  /**
   * Before checkpoint format v4, pending sends lived on the checkpoint; since v4 they are TASKS
   * writes of the parent. Old checkpoints are returned as if they had been written in v4.
   */
  private async migratePendingSends(checkpoint: Checkpoint, parent: CheckpointKey): Promise<void> {
    const sends = await this.decodeWrites(this.tables.writes(parent).filter((w) => w.channel === TASKS));
    if (sends.length === 0) return;
    checkpoint.channel_values[TASKS] = sends.map(([, , value]) => value);
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  private async dump(value: unknown): Promise<SerializedValue> {
    const [type, blob] = await this.serde.dumpsTyped(value);
    return { type, blob };
  }

  private load(value: SerializedValue): Promise<unknown> {
    return this.serde.loadsTyped(value.type, value.blob);
  }

  /** Kept as JSON text so that list() filters in SQL, as PostgresSaver keeps jsonb. */
  private async dumpMetadata(metadata: CheckpointMetadata): Promise<string> {
    const { type, blob } = await this.dump(metadata);
    if (type !== 'json') throw new Error(`checkpoint metadata must serialize to JSON, not "${type}"`);
    return new TextDecoder().decode(blob);
  }
}

/** The cache key of a channel's value at a version (a write's key has four parts, so none is the same). */
function channelValueId(key: ChannelKey, version: string): string {
  return JSON.stringify([key.checkpointNs, key.channel, version]);
}

function configFor(row: CheckpointKey, checkpointId: string): RunnableConfig {
  return { configurable: { thread_id: row.thread_id, checkpoint_ns: row.checkpoint_ns, checkpoint_id: checkpointId } };
}
