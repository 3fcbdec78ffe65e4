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
 * afterwards; list values already deserialized once are reused (list-value-cache.ts). What rows
 * hold and how they become tuples is shared with the PostgreSQL saver (checkpoint-codec.ts,
 * delta-history.ts); this file and tables.ts are how bun:sqlite fetches and stores them.
 */
import { Database } from 'bun:sqlite';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  getCheckpointId,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type DeltaChannelHistory,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { CheckpointCodec, forkSafeNextVersion, type StoredCheckpoint, type TupleRead, type ValueLookup } from './checkpoint-codec.ts';
import { type AncestorRows, DeltaHistoryWalk } from './delta-history.ts';
import type { CheckpointKey, CheckpointRow } from './rows.ts';
import { migrateCheckpointTables } from './schema.ts';
import { CheckpointTables } from './tables.ts';
import type { WriteTimer } from './write-timing.ts';

export class BunSqliteSaver extends BaseCheckpointSaver {
  readonly db: Database;
  private readonly tables: CheckpointTables;
  private readonly codec: CheckpointCodec;
  /** Told how long each write took, in seconds (write-timing.ts); unset, nothing is timed. */
  onWrite?: WriteTimer;
  private readonly ownsDatabase: boolean;

  /**
   * @param database a file path (opened here and closed by `close()`), or a connection the
   *   caller owns, such as the application's database handle.
   */
  constructor(database: string | Database, serde?: SerializerProtocol) {
    super(serde);
    this.codec = new CheckpointCodec(this.serde);
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
    const started = performance.now();
    const rows = await this.codec.putRows(config, checkpoint, metadata, newVersions);
    this.tables.saveCheckpoint(rows.row, rows.values);
    rows.committed();
    this.onWrite?.('put', (performance.now() - started) / 1000);
    return rows.config;
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ''): Promise<void> {
    const started = performance.now();
    const { key, rows } = await this.codec.writeRows(config, writes);
    this.tables.saveWrites(key, taskId, taskPath, rows);
    this.onWrite?.('put_writes', (performance.now() - started) / 1000);
  }

  async deleteThread(threadId: string): Promise<void> {
    this.tables.deleteThread(String(threadId));
    this.codec.forgetThread(String(threadId));
  }

  override getNextVersion(current: number | undefined): number {
    return forkSafeNextVersion(current);
  }

  /**
   * Rebuilds DeltaChannel values under the base method's contract (delta-history.ts). The base
   * walks `getTuple`, which loads every channel's value and every write of each ancestor; this
   * reads, in one read transaction, each ancestor's parent and versions and its writes, and
   * deserializes only the requested channels' writes and seeds. (A recursive CTE doing the walk
   * in one statement, or one join per ancestor, cost SQLite about three times these two point
   * lookups per ancestor.)
   */
  override async getDeltaChannelHistory(options: {
    config: RunnableConfig;
    channels: string[];
  }): Promise<Record<string, DeltaChannelHistory>> {
    const { config, channels } = options;
    const walk = new DeltaHistoryWalk(
      String(config.configurable?.thread_id),
      String(config.configurable?.checkpoint_ns ?? ''),
      channels,
      this.codec,
    );
    const threadId = config.configurable?.thread_id;
    if (channels.length > 0 && threadId !== undefined && threadId !== null) {
      const checkpointId = getCheckpointId(config);
      const rows = this.ancestorRows(walk.threadId, walk.checkpointNs);
      let undecided = this.tables.read(() => {
        const target = checkpointId
          ? this.tables.ancestor(walk.threadId, walk.checkpointNs, checkpointId)
          : this.tables.latestCheckpoint(walk.threadId, walk.checkpointNs);
        walk.seedableOnly((ch) => this.tables.hasChannelValues(walk.threadId, walk.checkpointNs, ch));
        return this.undecidedRow(walk.walk(target?.parent_checkpoint_id ?? null, rows), walk);
      });
      // Only an ancestor written before the channel_versions column stops the walk here.
      while (undecided !== undefined) {
        const { row, parent } = undecided;
        const versions = ((await this.codec.load(row.checkpoint)) as StoredCheckpoint).channel_versions ?? {};
        undecided = this.tables.read(() => {
          walk.takeSeeds(versions, rows.channelValue);
          return this.undecidedRow(walk.walk(parent, rows), walk);
        });
      }
    }
    return walk.histories();
  }

  /** The ancestors' rows of a thread, each fetched when the walk asks, inside a read. */
  private ancestorRows(threadId: string, checkpointNs: string): AncestorRows {
    return {
      ancestor: (id) => this.tables.ancestor(threadId, checkpointNs, id),
      writes: (id) => this.tables.writes({ thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: id }),
      channelValue: (channel, version) => this.tables.channelValue(threadId, checkpointNs, channel, version),
    };
  }

  private undecidedRow(
    undecided: { checkpointId: string; parent: string | null } | undefined,
    walk: DeltaHistoryWalk,
  ): { row: CheckpointRow; parent: string | null } | undefined {
    if (undecided === undefined) return undefined;
    const row = this.tables.checkpoint(walk.threadId, walk.checkpointNs, undecided.checkpointId);
    return row && { row, parent: undecided.parent };
  }

  /** A checkpoint's writes and, if the row names its versions, its channel values; inside a read. */
  private readTuple(row: CheckpointRow): TupleRead {
    const versions = row.channel_versions === null ? undefined : (JSON.parse(row.channel_versions) as ChannelVersions);
    return { row, writes: this.tables.writes(row), values: versions && this.codec.readChannelValues(row, versions, this.valuesOf(row)) };
  }

  private loadTuple(read: TupleRead): Promise<CheckpointTuple> {
    return this.codec.tuple(
      read,
      (versions) => this.tables.read(() => this.codec.readChannelValues(read.row, versions, this.valuesOf(read.row))),
      (parent) => this.tables.writes(parent),
    );
  }

  private valuesOf(row: CheckpointKey): ValueLookup {
    return (channel, version) => this.tables.channelValue(row.thread_id, row.checkpoint_ns, channel, version);
  }
}
