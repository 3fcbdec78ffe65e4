/**
 * Synchronous SQL over the checkpointer tables (see schema.ts). Values arrive here already
 * serialized, so each write is one bun:sqlite transaction with nothing awaited inside it; the
 * saver groups the statements of one read in one transaction too (`read`): outside a transaction
 * each statement opens and ends a read transaction of its own, which cost more than the
 * statement itself.
 * The statements of every call LangGraph makes per step are prepared once, with their
 * transactions: looking a statement up in `db.query`'s cache and building a transaction function
 * on each call cost about 1 µs and 8 µs, a tenth of a small put. `close()` finalizes them, as a
 * shared application connection outlives the saver.
 */
import type { Database, SQLQueryBindings, Statement } from 'bun:sqlite';
import {
  type ChannelBlob,
  type CheckpointKey,
  type CheckpointRow,
  type CheckpointSearch,
  type AncestorRow,
  type PendingWriteRow,
  type StoredChannelValue,
  type StoredCheckpointRow,
  type WriteRow,
  sortWrites,
  toCheckpointRow,
} from './rows.ts';

const SELECT_CHECKPOINT = `SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint,
  metadata, channel_versions FROM checkpoints`;

type Row<T> = Statement<T, SQLQueryBindings[]>;
/** The part of a `db.transaction` function used here. */
interface Transaction<A extends unknown[], R = void> {
  immediate: (...args: A) => R;
  deferred: (...args: A) => R;
}

export class CheckpointTables {
  private readonly selectCheckpoint: Row<StoredCheckpointRow>;
  private readonly selectLatestCheckpoint: Row<StoredCheckpointRow>;
  private readonly selectAncestor: Row<AncestorRow>;
  private readonly selectChannelValue: Row<StoredChannelValue>;
  private readonly selectAnyChannelValue: Row<{ one: number }>;
  private readonly selectWrites: Row<WriteRow>;
  private readonly insertChannelValue: Row<unknown>;
  private readonly upsertCheckpoint: Row<unknown>;
  private readonly insertWrite: Row<unknown>;
  private readonly replaceWrite: Row<unknown>;
  private readonly deleteThreadRows: Row<unknown>[];
  private readonly saveCheckpointTransaction: Transaction<[CheckpointRow, ChannelBlob[]]>;
  private readonly saveWritesTransaction: Transaction<[CheckpointKey, string, string, PendingWriteRow[]]>;
  private readonly deleteThreadTransaction: Transaction<[string]>;
  private readonly readTransaction: Transaction<[() => unknown], unknown>;

  constructor(private readonly db: Database) {
    this.selectCheckpoint = db.prepare(`${SELECT_CHECKPOINT} WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`);
    this.selectLatestCheckpoint = db.prepare(
      `${SELECT_CHECKPOINT} WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY checkpoint_id DESC LIMIT 1`,
    );
    this.selectAncestor = db.prepare(
      'SELECT parent_checkpoint_id, channel_versions FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?',
    );
    this.selectChannelValue = db.prepare(
      `SELECT type, blob, base_version FROM checkpoint_blobs
       WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?`,
    );
    this.selectAnyChannelValue = db.prepare(
      'SELECT 1 AS one FROM checkpoint_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? LIMIT 1',
    );
    this.selectWrites = db.prepare(
      `SELECT task_id, task_path, idx, channel, type, blob FROM checkpoint_writes
       WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`,
    );
    // A version names one value for good, so a row already there holds this same value.
    this.insertChannelValue = db.prepare(
      `INSERT OR IGNORE INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob, base_version)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertCheckpoint = db.prepare(
      `INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata,
         channel_versions)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET
         type = excluded.type, checkpoint = excluded.checkpoint, metadata = excluded.metadata,
         channel_versions = excluded.channel_versions`,
    );
    // Special writes (error, interrupt, resume: negative idx) replace the previous one; a task's
    // regular writes stay as first saved, so a re-run task cannot change them.
    const writeInto = (verb: string) =>
      db.prepare(
        `${verb} INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob, task_path)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
    this.insertWrite = writeInto('INSERT OR IGNORE');
    this.replaceWrite = writeInto('INSERT OR REPLACE');
    this.deleteThreadRows = ['checkpoints', 'checkpoint_blobs', 'checkpoint_writes'].map((table) =>
      db.prepare(`DELETE FROM ${table} WHERE thread_id = ?`),
    );

    this.saveCheckpointTransaction = db.transaction((row: CheckpointRow, values: ChannelBlob[]) => {
      for (const value of values) {
        this.insertChannelValue.run(
          row.thread_id,
          row.checkpoint_ns,
          value.channel,
          value.version,
          value.type,
          value.blob,
          value.base_version,
        );
      }
      this.upsertCheckpoint.run(
        row.thread_id,
        row.checkpoint_ns,
        row.checkpoint_id,
        row.parent_checkpoint_id,
        row.checkpoint.type,
        row.checkpoint.blob,
        row.metadata,
        row.channel_versions,
      );
    });
    this.saveWritesTransaction = db.transaction((key: CheckpointKey, taskId: string, taskPath: string, writes: PendingWriteRow[]) => {
      for (const write of writes) {
        (write.idx < 0 ? this.replaceWrite : this.insertWrite).run(
          key.thread_id,
          key.checkpoint_ns,
          key.checkpoint_id,
          taskId,
          write.idx,
          write.channel,
          write.type,
          write.blob,
          taskPath,
        );
      }
    });
    this.deleteThreadTransaction = db.transaction((threadId: string) => {
      for (const statement of this.deleteThreadRows) statement.run(threadId);
    });
    this.readTransaction = db.transaction((read: () => unknown) => read());
  }

  /** Runs `read`'s statements in one read transaction: one snapshot of the file, one lock taken. */
  read<T>(read: () => T): T {
    return this.readTransaction.deferred(read) as T;
  }

  /** Finalizes the prepared statements; the connection itself stays open. */
  close(): void {
    for (const statement of [
      this.selectCheckpoint,
      this.selectLatestCheckpoint,
      this.selectAncestor,
      this.selectChannelValue,
      this.selectAnyChannelValue,
      this.selectWrites,
      this.insertChannelValue,
      this.upsertCheckpoint,
      this.insertWrite,
      this.replaceWrite,
      ...this.deleteThreadRows,
    ]) {
      statement.finalize();
    }
  }

  /** A checkpoint's parent and versions only: the blobs stay in the database. */
  ancestor(threadId: string, checkpointNs: string, checkpointId: string): AncestorRow | undefined {
    return this.selectAncestor.get(threadId, checkpointNs, checkpointId) ?? undefined;
  }

  checkpoint(threadId: string, checkpointNs: string, checkpointId: string): CheckpointRow | undefined {
    const row = this.selectCheckpoint.get(threadId, checkpointNs, checkpointId);
    return row === null ? undefined : toCheckpointRow(row);
  }

  /** A seek on the primary key: as cheap at step 10,000 as at step 1. */
  latestCheckpoint(threadId: string, checkpointNs: string): CheckpointRow | undefined {
    const row = this.selectLatestCheckpoint.get(threadId, checkpointNs);
    return row === null ? undefined : toCheckpointRow(row);
  }

  /** Newest first. */
  searchCheckpoints(search: CheckpointSearch): CheckpointRow[] {
    const where: string[] = [];
    const params: SQLQueryBindings[] = [];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    equal('thread_id', search.threadId);
    equal('checkpoint_ns', search.checkpointNs);
    equal('checkpoint_id', search.checkpointId);
    if (search.beforeCheckpointId !== undefined) {
      where.push('checkpoint_id < ?');
      params.push(search.beforeCheckpointId);
    }
    for (const [key, value] of search.metadata) {
      // The JSON type is compared too, so that `true` does not match `1`.
      where.push(`EXISTS (SELECT 1 FROM json_each(checkpoints.metadata) AS m
        WHERE m.key = ? AND m.type = json_type(?) AND m.value IS json_extract(?, '$'))`);
      const json = JSON.stringify(value);
      params.push(key, json, json);
    }
    let sql = SELECT_CHECKPOINT;
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ' ORDER BY checkpoint_id DESC';
    if (search.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(search.limit);
    }
    return this.db
      .query<StoredCheckpointRow, SQLQueryBindings[]>(sql)
      .all(...params)
      .map(toCheckpointRow);
  }

  channelValue(threadId: string, checkpointNs: string, channel: string, version: string): StoredChannelValue | undefined {
    return this.selectChannelValue.get(threadId, checkpointNs, channel, version) ?? undefined;
  }

  /** Whether the thread has any stored value of this channel, at any version. */
  hasChannelValues(threadId: string, checkpointNs: string, channel: string): boolean {
    return this.selectAnyChannelValue.get(threadId, checkpointNs, channel) !== null;
  }

  /** The checkpoint's pending writes in writesSortKey order. */
  writes(key: CheckpointKey): WriteRow[] {
    return sortWrites(this.selectWrites.all(key.thread_id, key.checkpoint_ns, key.checkpoint_id));
  }

  /** Stores a checkpoint and the channel values it introduced, atomically. */
  saveCheckpoint(row: CheckpointRow, values: ChannelBlob[]): void {
    this.saveCheckpointTransaction.immediate(row, values);
  }

  saveWrites(key: CheckpointKey, taskId: string, taskPath: string, writes: PendingWriteRow[]): void {
    this.saveWritesTransaction.immediate(key, taskId, taskPath, writes);
  }

  deleteThread(threadId: string): void {
    this.deleteThreadTransaction.immediate(threadId);
  }
}
