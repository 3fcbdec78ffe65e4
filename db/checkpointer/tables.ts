/**
 * Synchronous SQL over the checkpointer tables (see schema.ts). Values arrive here already
 * serialized, so each write is one bun:sqlite transaction with nothing awaited inside it.
 * Statements come from `db.query`, which caches them on the connection and finalizes them when
 * the connection closes, so a shared application connection needs no extra clean-up.
 */
import type { Database, SQLQueryBindings } from 'bun:sqlite';

export interface CheckpointKey {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
}

export interface SerializedValue {
  type: string;
  blob: Uint8Array;
}

export interface CheckpointRow extends CheckpointKey {
  parent_checkpoint_id: string | null;
  /** The checkpoint without channel_values. */
  checkpoint: SerializedValue;
  /** JSON text. */
  metadata: string;
}

export interface WriteRow extends SerializedValue {
  task_id: string;
  channel: string;
}

export interface ChannelBlob extends SerializedValue {
  channel: string;
  version: string;
}

export interface PendingWriteRow extends SerializedValue {
  idx: number;
  channel: string;
}

export interface CheckpointSearch {
  threadId?: string;
  checkpointNs?: string;
  checkpointId?: string;
  beforeCheckpointId?: string;
  /** Top-level metadata keys that must hold these values. */
  metadata: [string, unknown][];
  limit?: number;
}

interface StoredCheckpointRow extends CheckpointKey {
  parent_checkpoint_id: string | null;
  type: string;
  checkpoint: Uint8Array;
  metadata: string;
}

const SELECT_CHECKPOINT = `SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint,
  metadata FROM checkpoints`;

// The order LangGraph applies a superstep's writes in (writesSortKey). SQLite compares TEXT as
// UTF-8 bytes, which is code-point order, as compareWritesSortKeys requires.
const WRITES_ORDER = 'ORDER BY task_path, task_id, idx';

function toCheckpointRow(row: StoredCheckpointRow | null): CheckpointRow | undefined {
  if (row === null) return undefined;
  const { type, checkpoint, ...rest } = row;
  return { ...rest, checkpoint: { type, blob: checkpoint } };
}

export class CheckpointTables {
  constructor(private readonly db: Database) {}

  checkpoint(threadId: string, checkpointNs: string, checkpointId: string): CheckpointRow | undefined {
    return toCheckpointRow(
      this.db
        .query<StoredCheckpointRow, [string, string, string]>(
          `${SELECT_CHECKPOINT} WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`,
        )
        .get(threadId, checkpointNs, checkpointId),
    );
  }

  /** A seek on the primary key: as cheap at step 10,000 as at step 1. */
  latestCheckpoint(threadId: string, checkpointNs: string): CheckpointRow | undefined {
    return toCheckpointRow(
      this.db
        .query<StoredCheckpointRow, [string, string]>(
          `${SELECT_CHECKPOINT} WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY checkpoint_id DESC LIMIT 1`,
        )
        .get(threadId, checkpointNs),
    );
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
      .map((row) => toCheckpointRow(row)!);
  }

  channelValue(threadId: string, checkpointNs: string, channel: string, version: string): SerializedValue | undefined {
    return (
      this.db
        .query<SerializedValue, [string, string, string, string]>(
          `SELECT type, blob FROM checkpoint_blobs
           WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?`,
        )
        .get(threadId, checkpointNs, channel, version) ?? undefined
    );
  }

  /** Whether the thread has any stored value of this channel, at any version. */
  hasChannelValues(threadId: string, checkpointNs: string, channel: string): boolean {
    return (
      this.db
        .query<{ one: number }, [string, string, string]>(
          'SELECT 1 AS one FROM checkpoint_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? LIMIT 1',
        )
        .get(threadId, checkpointNs, channel) !== null
    );
  }

  /** The checkpoint's pending writes in writesSortKey order. */
  writes(key: CheckpointKey): WriteRow[] {
    return this.db
      .query<WriteRow, [string, string, string]>(
        `SELECT task_id, channel, type, blob FROM checkpoint_writes
         WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? ${WRITES_ORDER}`,
      )
      .all(key.thread_id, key.checkpoint_ns, key.checkpoint_id);
  }

  /** Stores a checkpoint and the channel values it introduced, atomically. */
  saveCheckpoint(row: CheckpointRow, values: ChannelBlob[]): void {
    this.db
      .transaction(() => {
        // A version names one value for good, so a row already there holds this same value.
        const insertValue = this.db.query<unknown, [string, string, string, string, string, Uint8Array]>(
          `INSERT OR IGNORE INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
           VALUES (?, ?, ?, ?, ?, ?)`,
        );
        for (const value of values) {
          insertValue.run(row.thread_id, row.checkpoint_ns, value.channel, value.version, value.type, value.blob);
        }
        this.db
          .query<unknown, [string, string, string, string | null, string, Uint8Array, string]>(
            `INSERT INTO checkpoints
               (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET
               type = excluded.type, checkpoint = excluded.checkpoint, metadata = excluded.metadata`,
          )
          .run(
            row.thread_id,
            row.checkpoint_ns,
            row.checkpoint_id,
            row.parent_checkpoint_id,
            row.checkpoint.type,
            row.checkpoint.blob,
            row.metadata,
          );
      })
      .immediate();
  }

  saveWrites(key: CheckpointKey, taskId: string, taskPath: string, writes: PendingWriteRow[]): void {
    this.db
      .transaction(() => {
        for (const write of writes) {
          // Special writes (error, interrupt, resume: negative idx) replace the previous one; a
          // task's regular writes stay as first saved, so a re-run task cannot change them.
          const verb = write.idx < 0 ? 'INSERT OR REPLACE' : 'INSERT OR IGNORE';
          this.db
            .query<unknown, [string, string, string, string, number, string, string, Uint8Array, string]>(
              `${verb} INTO checkpoint_writes
                 (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob, task_path)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(key.thread_id, key.checkpoint_ns, key.checkpoint_id, taskId, write.idx, write.channel, write.type, write.blob, taskPath);
        }
      })
      .immediate();
  }

  deleteThread(threadId: string): void {
    this.db
      .transaction(() => {
        for (const table of ['checkpoints', 'checkpoint_blobs', 'checkpoint_writes']) {
          this.db.query<unknown, [string]>(`DELETE FROM ${table} WHERE thread_id = ?`).run(threadId);
        }
      })
      .immediate();
  }
}
