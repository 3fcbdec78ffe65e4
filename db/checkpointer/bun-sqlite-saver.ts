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
import { migrateCheckpointTables } from './schema.ts';
import { CheckpointTables, type CheckpointKey, type CheckpointRow, type SerializedValue } from './tables.ts';

type StoredCheckpoint = Omit<Checkpoint, 'channel_values'>;

export class BunSqliteSaver extends BaseCheckpointSaver {
  readonly db: Database;
  private readonly tables: CheckpointTables;
  private readonly lists = new AppendOnlyLists();
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
    const row = checkpointId
      ? this.tables.checkpoint(String(threadId), checkpointNs, checkpointId)
      : this.tables.latestCheckpoint(String(threadId), checkpointNs);
    return row ? this.loadTuple(row) : undefined;
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
    for (const row of rows) yield await this.loadTuple(row);
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
   * channel's value and every write of each ancestor; this reads only each ancestor's versions,
   * the requested channels' values, and their writes.
   */
  override async getDeltaChannelHistory(options: {
    config: RunnableConfig;
    channels: string[];
  }): Promise<Record<string, DeltaChannelHistory>> {
    const { config, channels } = options;
    const newestFirst = new Map<string, CheckpointPendingWrite[]>(channels.map((ch) => [ch, []]));
    const seeds = new Map<string, unknown>();
    const threadId = config.configurable?.thread_id;
    if (channels.length > 0 && threadId !== undefined && threadId !== null) {
      const thread = String(threadId);
      const checkpointNs = String(config.configurable?.checkpoint_ns ?? '');
      const checkpointId = getCheckpointId(config);
      const target = checkpointId
        ? this.tables.checkpoint(thread, checkpointNs, checkpointId)
        : this.tables.latestCheckpoint(thread, checkpointNs);
      const remaining = new Set(channels);
      // A channel with no stored value in the thread (a DeltaChannel before its first snapshot)
      // cannot be seeded by any ancestor, so an ancestor's checkpoint need not be deserialized to
      // look its version up. That load was most of the walk's cost, paid at every turn start.
      const seedable = new Set(channels.filter((ch) => this.tables.hasChannelValues(thread, checkpointNs, ch)));
      let ancestorId = target?.parent_checkpoint_id ?? null;
      while (ancestorId !== null && remaining.size > 0) {
        const ancestor = this.tables.checkpoint(thread, checkpointNs, ancestorId);
        if (!ancestor) break;
        const wanted = [...remaining].filter((ch) => seedable.has(ch));
        const versions = wanted.length === 0 ? {} : ((await this.load(ancestor.checkpoint)) as StoredCheckpoint).channel_versions;
        const seeded = await this.loadChannelValues(
          ancestor,
          Object.fromEntries(wanted.flatMap((ch) => (versions[ch] === undefined ? [] : [[ch, versions[ch]]]))),
        );
        // The ancestor's writes produced its child, so they replay on top of the ancestor's value.
        const writes = await this.loadWrites(ancestor, remaining);
        for (const write of writes.reverse()) newestFirst.get(write[1])?.push(write);
        for (const [ch, value] of Object.entries(seeded)) {
          seeds.set(ch, value);
          remaining.delete(ch);
        }
        ancestorId = ancestor.parent_checkpoint_id;
      }
    }
    return Object.fromEntries(
      channels.map((ch): [string, DeltaChannelHistory] => {
        const history: DeltaChannelHistory = { writes: (newestFirst.get(ch) ?? []).reverse() };
        if (seeds.has(ch)) history.seed = seeds.get(ch);
        return [ch, history];
      }),
    );
  }

  private async loadTuple(row: CheckpointRow): Promise<CheckpointTuple> {
    const stored = (await this.load(row.checkpoint)) as StoredCheckpoint;
    const checkpoint: Checkpoint = {
      ...stored,
      channel_values: await this.loadChannelValues(row, stored.channel_versions ?? {}),
    };
    if (checkpoint.v < 4 && row.parent_checkpoint_id !== null) {
      await this.migratePendingSends(checkpoint, { ...row, checkpoint_id: row.parent_checkpoint_id });
    }
    const tuple: CheckpointTuple = {
      config: configFor(row, row.checkpoint_id),
      checkpoint,
      metadata: (await this.serde.loadsTyped('json', row.metadata)) as CheckpointMetadata,
      pendingWrites: await this.loadWrites(row),
    };
    if (row.parent_checkpoint_id !== null) tuple.parentConfig = configFor(row, row.parent_checkpoint_id);
    return tuple;
  }

  private async loadChannelValues(row: CheckpointKey, versions: ChannelVersions): Promise<Record<string, unknown>> {
    const values: Record<string, unknown> = {};
    for (const [channel, version] of Object.entries(versions)) {
      const value = await this.loadChannelValue({ threadId: row.thread_id, checkpointNs: row.checkpoint_ns, channel }, String(version));
      if (value !== undefined) values[channel] = value;
    }
    return values;
  }

  /** A channel's value at a version, following the versions it extends (append-only.ts); undefined if none is stored. */
  private async loadChannelValue(key: ChannelKey, version: string): Promise<unknown> {
    const rows = [];
    for (let next: string | null = version; next !== null; ) {
      const stored = this.tables.channelValue(key.threadId, key.checkpointNs, key.channel, next);
      if (stored === undefined) {
        if (rows.length === 0) return undefined;
        throw new Error(`checkpoint value of channel "${key.channel}" at ${version} extends version ${next}, which is missing`);
      }
      rows.push(stored);
      next = stored.base_version;
    }
    return this.lists.assemble(key, version, await Promise.all(rows.map((stored) => this.load(stored))));
  }

  /** Pending writes in writesSortKey order; with `channels`, only those channels' writes. */
  private async loadWrites(row: CheckpointKey, channels?: ReadonlySet<string>): Promise<CheckpointPendingWrite[]> {
    const writes = this.tables.writes(row).filter((w) => channels === undefined || channels.has(w.channel));
    return Promise.all(writes.map(async (w): Promise<CheckpointPendingWrite> => [w.task_id, w.channel, await this.load(w)]));
  }

  /**
   * Before checkpoint format v4, pending sends lived on the checkpoint; since v4 they are TASKS
   * writes of the parent. Old checkpoints are returned as if they had been written in v4.
   */
  private async migratePendingSends(checkpoint: Checkpoint, parent: CheckpointKey): Promise<void> {
    const sends = await this.loadWrites(parent, new Set([TASKS]));
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

function configFor(row: CheckpointKey, checkpointId: string): RunnableConfig {
  return { configurable: { thread_id: row.thread_id, checkpoint_ns: row.checkpoint_ns, checkpoint_id: checkpointId } };
}
