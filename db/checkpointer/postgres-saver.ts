/**
 * LangGraph checkpointer on PostgreSQL, through Bun's built-in SQL client: the storage of
 * BunSqliteSaver (each channel value once per version, lists as what they add to an earlier
 * version, fork-safe versions; checkpoint-codec.ts) with each call one statement, so one round
 * trip (postgres-tables.ts). The official PostgresSaver was not used: its `+1` versions with
 * ON CONFLICT DO NOTHING let two puts forked from one parent share a version, so one branch reads
 * the other's value, and it walks a DeltaChannel's ancestors one query at a time.
 *
 *   const saver = await BunPostgresSaver.open({ url: process.env.DATABASE_URL, schema: 'app' });
 */
import { SQL } from 'bun';
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
import { CheckpointCodec, forkSafeNextVersion } from './checkpoint-codec.ts';
import { DeltaHistoryWalk } from './delta-history.ts';
import { migratePostgresCheckpointTables } from './postgres-schema.ts';
import { PostgresCheckpointTables } from './postgres-tables.ts';
import type { WriteTimer } from './write-timing.ts';

/** Where the tables live: a connection the caller owns (its search_path names the schema), or one to open. */
export type PostgresConnection = SQL | { url: string; schema?: string; maxConnections?: number };

export class BunPostgresSaver extends BaseCheckpointSaver {
  private readonly tables: PostgresCheckpointTables;
  private readonly codec: CheckpointCodec;
  /** Told how long each write took, in seconds (write-timing.ts); unset, nothing is timed. */
  onWrite?: WriteTimer;

  private constructor(
    readonly sql: SQL,
    private readonly ownsConnection: boolean,
    serde?: SerializerProtocol,
  ) {
    super(serde);
    this.codec = new CheckpointCodec(this.serde);
    this.tables = new PostgresCheckpointTables(sql);
  }

  /**
   * A saver whose tables exist (created here when missing). Its own connections run with JIT
   * off; give a connection of yours `connection: { jit: 'off' }` too: the planner's estimates for
   * the recursive reads pass jit_above_cost, and compiling them took 90 ms for a 2 ms query.
   */
  static async open(connection: PostgresConnection, serde?: SerializerProtocol): Promise<BunPostgresSaver> {
    const owns = !(connection instanceof SQL);
    const sql =
      connection instanceof SQL
        ? connection
        : new SQL({
            url: connection.url,
            max: connection.maxConnections ?? 10,
            connection: { jit: 'off', ...(connection.schema ? { search_path: connection.schema } : {}) },
          });
    try {
      await migratePostgresCheckpointTables(sql);
    } catch (error) {
      if (owns) await sql.close();
      throw error;
    }
    return new BunPostgresSaver(sql, owns, serde);
  }

  /** Ends the connections if this saver opened them; a connection passed in stays with its owner. */
  async close(): Promise<void> {
    if (this.ownsConnection) await this.sql.close();
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = config.configurable?.thread_id;
    if (threadId === undefined || threadId === null) return undefined;
    return this.readTuple(String(threadId), String(config.configurable?.checkpoint_ns ?? ''), getCheckpointId(config) || undefined);
  }

  async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpointId } = config.configurable ?? {};
    const beforeId = options?.before?.configurable?.checkpoint_id;
    const rows = await this.tables.searchCheckpoints({
      threadId: threadId ? String(threadId) : undefined,
      checkpointNs: checkpointNs === undefined || checkpointNs === null ? undefined : String(checkpointNs),
      checkpointId: checkpointId ? String(checkpointId) : undefined,
      beforeCheckpointId: beforeId ? String(beforeId) : undefined,
      metadata: Object.entries(options?.filter ?? {}).filter(([, value]) => value !== undefined),
      limit: options?.limit === undefined ? undefined : Math.max(0, Math.trunc(options.limit)),
    });
    // Each tuple's writes and values are read as it is reached, so a long history is not held at once.
    for (const row of rows) {
      const tuple = await this.readTuple(row.thread_id, row.checkpoint_ns, row.checkpoint_id);
      if (tuple !== undefined) yield tuple;
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const started = performance.now();
    const rows = await this.codec.putRows(config, checkpoint, metadata, newVersions);
    await this.tables.saveCheckpoint(rows.row, rows.values);
    rows.committed();
    this.onWrite?.('put', (performance.now() - started) / 1000);
    return rows.config;
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ''): Promise<void> {
    const started = performance.now();
    const { key, rows } = await this.codec.writeRows(config, writes);
    await this.tables.saveWrites(key, taskId, taskPath, rows);
    this.onWrite?.('put_writes', (performance.now() - started) / 1000);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.tables.deleteThread(String(threadId));
    this.codec.forgetThread(String(threadId));
  }

  override getNextVersion(current: number | undefined): number {
    return forkSafeNextVersion(current);
  }

  /** DeltaChannel values (delta-history.ts) from one statement that walks the ancestors in SQL. */
  override async getDeltaChannelHistory(options: {
    config: RunnableConfig;
    channels: string[];
  }): Promise<Record<string, DeltaChannelHistory>> {
    const { config, channels } = options;
    const threadId = String(config.configurable?.thread_id);
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? '');
    const pinned = this.codec.pinValues(threadId, checkpointNs);
    const walk = new DeltaHistoryWalk(threadId, checkpointNs, channels, this.codec, pinned);
    if (channels.length > 0 && config.configurable?.thread_id !== undefined && config.configurable?.thread_id !== null) {
      const rows = await this.tables.ancestors(threadId, checkpointNs, getCheckpointId(config) || undefined, channels, pinned);
      // Every row names its versions here, so the walk never stops for one that does not.
      walk.walk(rows.targetParent, rows);
    }
    return walk.histories();
  }

  /** A checkpoint's tuple (the thread's latest when `checkpointId` is undefined); values this saver holds are not fetched. */
  private async readTuple(threadId: string, checkpointNs: string, checkpointId: string | undefined): Promise<CheckpointTuple | undefined> {
    const pinned = this.codec.pinValues(threadId, checkpointNs);
    const rows = await this.tables.tuple(threadId, checkpointNs, checkpointId, pinned);
    if (rows === undefined) return undefined;
    const { row, writes, channelValue } = rows;
    const values = (versions: ChannelVersions) => this.codec.readChannelValues(row, versions, channelValue, pinned);
    return this.codec.tuple(
      { row, writes, values: values(JSON.parse(row.channel_versions ?? '{}') as ChannelVersions) },
      values,
      (parent) => this.tables.writes(parent),
    );
  }
}
