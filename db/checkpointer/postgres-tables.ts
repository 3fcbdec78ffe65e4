/**
 * SQL over the checkpointer tables on PostgreSQL (postgres-schema.ts). Each call is one statement,
 * so one round trip and atomic on its own: a put inserts its changed values and its checkpoint
 * row together (data-modifying CTE over arrays), a read fetches a checkpoint, its writes and its
 * values (each with the versions it extends) in one UNION, and a DeltaChannel walk follows the
 * ancestors in a recursive CTE that stops where the walk in delta-history.ts stops. The cost of
 * each is a few index seeks per row it returns, however long the thread.
 */
import type { SQL } from 'bun';
import type { PinnedValues, ValueLookup } from './checkpoint-codec.ts';
import type { AncestorRows } from './delta-history.ts';
import {
  type AncestorRow,
  type ChannelBlob,
  type CheckpointKey,
  type CheckpointRow,
  type CheckpointSearch,
  type PendingWriteRow,
  type StoredChannelValue,
  type StoredCheckpointRow,
  type WriteRow,
  sortWrites,
  toCheckpointRow,
} from './rows.ts';

/** The rows of one checkpoint tuple. */
export interface TupleRows {
  row: CheckpointRow;
  writes: WriteRow[];
  channelValue: ValueLookup;
}

/** A DeltaChannel walk's rows, from the parent of the checkpoint whose history is asked for. */
export interface AncestorsRead extends AncestorRows {
  targetParent: string | null;
}

/** Rows of different tables through one UNION: the columns a kind does not use are NULL. */
interface MixedRow {
  kind: 'checkpoint' | 'ancestor' | 'write' | 'value';
  id: string | null;
  parent: string | null;
  type: string | null;
  blob: Uint8Array | null;
  metadata: string | null;
  versions: string | null;
  channel: string | null;
  version: string | null;
  base_version: string | null;
  task_id: string | null;
  task_path: string | null;
  idx: number | null;
}

const CHECKPOINT_COLUMNS = `thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint,
  metadata::text AS metadata, channel_versions::text AS channel_versions`;

/*
 * Every lookup of one row by its key is a LATERAL subquery with LIMIT (or OFFSET 0 for several
 * rows), which PostgreSQL keeps as a subquery: the outer row's columns become parameters of an
 * index seek on the whole key. As plain joins, the planner (on tables it has few statistics for)
 * scanned the thread's whole index range per ancestor and filtered: 166 ms at turn 150.
 */

/** The stored value of a channel at a version, by its key. */
const valueAt = (channel: string, version: string) => `(
    SELECT v.channel, v.version, v.type, v.blob, v.base_version FROM checkpoint_values v
    WHERE v.thread_id = $1 AND v.checkpoint_ns = $2 AND v.channel = ${channel} AND v.version = ${version} LIMIT 1
  ) AS v`;

/** A checkpoint's pending writes, by its key. */
const writesOf = (checkpointId: string) => `(
    SELECT * FROM checkpoint_pending_writes pw
    WHERE pw.thread_id = $1 AND pw.checkpoint_ns = $2 AND pw.checkpoint_id = ${checkpointId} OFFSET 0
  ) AS pw`;

/**
 * A value and, recursively, the versions it extends; `heads` is a relation `h` of (channel,
 * version). Values the reader holds (the arrays `pinned` names: channels, versions) are left out.
 */
const valueChain = (heads: string, pinned: [string, string]) => `chain AS (
    SELECT v.* FROM ${heads} CROSS JOIN LATERAL ${valueAt('h.channel', 'h.version')}
    WHERE NOT EXISTS (
      SELECT 1 FROM unnest(${pinned[0]}::text[], ${pinned[1]}::text[]) AS p(channel, version)
      WHERE p.channel = h.channel AND p.version = h.version)
    UNION ALL
    SELECT v.* FROM chain c CROSS JOIN LATERAL ${valueAt('c.channel', 'c.base_version')}
  )`;

const VALUE_ROWS = `SELECT 'value', NULL, NULL, type, blob, NULL, NULL, channel, version, base_version, NULL, NULL, NULL FROM chain`;

/** A checkpoint ($5, or the thread's latest), its writes and its values but those pinned ($3, $4). */
const readTuple = (byId: boolean) => `
  WITH RECURSIVE cp AS (
    SELECT * FROM checkpoint_checkpoints WHERE thread_id = $1 AND checkpoint_ns = $2
    ${byId ? 'AND checkpoint_id = $5' : 'ORDER BY checkpoint_id DESC LIMIT 1'}
  ),
  ${valueChain('cp CROSS JOIN LATERAL jsonb_each_text(cp.channel_versions) AS h(channel, version)', ['$3', '$4'])}
  SELECT 'checkpoint' AS kind, checkpoint_id AS id, parent_checkpoint_id AS parent, type, checkpoint AS blob,
    metadata::text AS metadata, channel_versions::text AS versions, NULL::text AS channel, NULL::text AS version,
    NULL::text AS base_version, NULL::text AS task_id, NULL::text AS task_path, NULL::int AS idx
  FROM cp
  UNION ALL
  SELECT 'write', NULL, NULL, pw.type, pw.blob, NULL, NULL, pw.channel, NULL, NULL, pw.task_id, pw.task_path, pw.idx
  FROM cp CROSS JOIN LATERAL ${writesOf('cp.checkpoint_id')}
  UNION ALL
  ${VALUE_ROWS}`;

/** The checkpoint `c` a walk reaches, by its id; `next` are the channels of `from` still without a seed after it. */
const ancestorStep = (checkpointId: string, from: string) => `CROSS JOIN LATERAL (
    SELECT * FROM checkpoint_checkpoints c
    WHERE c.thread_id = $1 AND c.checkpoint_ns = $2 AND c.checkpoint_id = ${checkpointId} LIMIT 1
  ) AS c
  CROSS JOIN LATERAL (SELECT ARRAY(
    SELECT ch FROM unnest(${from}) AS ch
    WHERE NOT EXISTS (SELECT 1 FROM ${valueAt('ch', 'c.channel_versions ->> ch')})
  ) AS channels) AS next`;

/**
 * The ancestors of a checkpoint ($6, or the thread's latest) from its parent up, each with the
 * channels ($3) still without a seed when the walk reaches it (`needed`) and after it
 * (`unseeded`), until none is left or the root; their writes to the needed channels; and the
 * seeds' values but those pinned ($4, $5).
 */
const readAncestors = (byId: boolean) => `
  WITH RECURSIVE target AS (
    SELECT checkpoint_id, parent_checkpoint_id FROM checkpoint_checkpoints WHERE thread_id = $1 AND checkpoint_ns = $2
    ${byId ? 'AND checkpoint_id = $6' : 'ORDER BY checkpoint_id DESC LIMIT 1'}
  ),
  walk AS (
    SELECT c.checkpoint_id, c.parent_checkpoint_id, c.channel_versions, $3::text[] AS needed, next.channels AS unseeded
    FROM target t ${ancestorStep('t.parent_checkpoint_id', '$3::text[]')}
    UNION ALL
    SELECT c.checkpoint_id, c.parent_checkpoint_id, c.channel_versions, w.unseeded, next.channels
    FROM walk w ${ancestorStep('w.parent_checkpoint_id', 'w.unseeded')}
    WHERE cardinality(w.unseeded) > 0
  ),
  ${valueChain(
    `walk w CROSS JOIN LATERAL (
      SELECT ch AS channel, w.channel_versions ->> ch AS version FROM unnest(w.needed) AS ch WHERE NOT ch = ANY (w.unseeded)
    ) AS h`,
    ['$4', '$5'],
  )}
  SELECT 'checkpoint' AS kind, checkpoint_id AS id, parent_checkpoint_id AS parent, NULL::text AS type, NULL::bytea AS blob,
    NULL::text AS metadata, NULL::text AS versions, NULL::text AS channel, NULL::text AS version,
    NULL::text AS base_version, NULL::text AS task_id, NULL::text AS task_path, NULL::int AS idx
  FROM target
  UNION ALL
  SELECT 'ancestor', checkpoint_id, parent_checkpoint_id, NULL, NULL, NULL, channel_versions::text, NULL, NULL, NULL, NULL, NULL, NULL
  FROM walk
  UNION ALL
  SELECT 'write', w.checkpoint_id, NULL, pw.type, pw.blob, NULL, NULL, pw.channel, NULL, NULL, pw.task_id, pw.task_path, pw.idx
  FROM walk w CROSS JOIN LATERAL ${writesOf('w.checkpoint_id')}
  WHERE pw.channel = ANY (w.needed)
  UNION ALL
  ${VALUE_ROWS}`;

/** The changed values (arrays $9–$13) and the checkpoint row, in one statement. */
const SAVE_CHECKPOINT = `
  WITH new_values AS (
    INSERT INTO checkpoint_values (thread_id, checkpoint_ns, channel, version, type, blob, base_version)
    SELECT $1, $2, * FROM unnest($9::text[], $10::text[], $11::text[], $12::bytea[], $13::text[])
    -- A version names one value for good, so a row already there holds this same value.
    ON CONFLICT DO NOTHING
  )
  INSERT INTO checkpoint_checkpoints
    (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata, channel_versions)
  VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb)
  ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET
    type = excluded.type, checkpoint = excluded.checkpoint, metadata = excluded.metadata,
    channel_versions = excluded.channel_versions`;

/**
 * Special writes (error, interrupt, resume: negative idx) replace the previous one; a task's
 * regular writes stay as first saved, so a re-run task cannot change them.
 */
const SAVE_WRITES = `
  INSERT INTO checkpoint_pending_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, idx, channel, type, blob)
  SELECT $1, $2, $3, $4, $5, * FROM unnest($6::int[], $7::text[], $8::text[], $9::bytea[])
  ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO UPDATE SET
    channel = excluded.channel, type = excluded.type, blob = excluded.blob, task_path = excluded.task_path
  WHERE excluded.idx < 0`;

const DELETE_THREAD = `
  WITH gone_values AS (DELETE FROM checkpoint_values WHERE thread_id = $1),
  gone_writes AS (DELETE FROM checkpoint_pending_writes WHERE thread_id = $1)
  DELETE FROM checkpoint_checkpoints WHERE thread_id = $1`;

const SELECT_WRITES = `SELECT task_id, task_path, idx, channel, type, blob FROM checkpoint_pending_writes
  WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`;

function toWrite(row: MixedRow): WriteRow {
  return {
    task_id: row.task_id!,
    task_path: row.task_path!,
    idx: row.idx!,
    channel: row.channel!,
    type: row.type!,
    blob: row.blob!,
  };
}

function valueId(channel: string, version: string): string {
  return `${channel}\u0000${version}`;
}

/** Looks the fetched values up by channel and version. */
function valuesOf(rows: MixedRow[]): ValueLookup {
  const values = new Map<string, StoredChannelValue>();
  for (const row of rows) {
    if (row.kind !== 'value') continue;
    values.set(valueId(row.channel!, row.version!), { type: row.type!, blob: row.blob!, base_version: row.base_version });
  }
  return (channel, version) => values.get(valueId(channel, version));
}

export class PostgresCheckpointTables {
  constructor(private readonly sql: SQL) {}

  /** A checkpoint (the thread's latest when `checkpointId` is undefined) with its writes and values, but the pinned ones. */
  async tuple(
    threadId: string,
    checkpointNs: string,
    checkpointId: string | undefined,
    pinned: PinnedValues,
  ): Promise<TupleRows | undefined> {
    const params = [threadId, checkpointNs, pinned.channels, pinned.versions];
    const rows = await this.mixed(readTuple(checkpointId !== undefined), checkpointId === undefined ? params : [...params, checkpointId]);
    const head = rows.find((row) => row.kind === 'checkpoint');
    if (head === undefined) return undefined;
    return {
      row: {
        thread_id: threadId,
        checkpoint_ns: checkpointNs,
        checkpoint_id: head.id!,
        parent_checkpoint_id: head.parent,
        checkpoint: { type: head.type!, blob: head.blob! },
        metadata: head.metadata!,
        channel_versions: head.versions,
      },
      writes: sortWrites(rows.filter((row) => row.kind === 'write').map(toWrite)),
      channelValue: valuesOf(rows),
    };
  }

  /** The rows a DeltaChannel walk over `channels` needs, from a checkpoint (the latest when undefined) up, but the pinned values. */
  async ancestors(
    threadId: string,
    checkpointNs: string,
    checkpointId: string | undefined,
    channels: string[],
    pinned: PinnedValues,
  ): Promise<AncestorsRead> {
    const params = [threadId, checkpointNs, channels, pinned.channels, pinned.versions];
    const rows = await this.mixed(
      readAncestors(checkpointId !== undefined),
      checkpointId === undefined ? params : [...params, checkpointId],
    );
    const ancestors = new Map<string, AncestorRow>();
    const writes = new Map<string, WriteRow[]>();
    let targetParent: string | null = null;
    for (const row of rows) {
      if (row.kind === 'checkpoint') targetParent = row.parent;
      else if (row.kind === 'ancestor') ancestors.set(row.id!, { parent_checkpoint_id: row.parent, channel_versions: row.versions });
      else if (row.kind === 'write') writes.set(row.id!, [...(writes.get(row.id!) ?? []), toWrite(row)]);
    }
    return {
      targetParent,
      ancestor: (id) => ancestors.get(id),
      writes: (id) => sortWrites(writes.get(id) ?? []),
      channelValue: valuesOf(rows),
    };
  }

  /** Newest first. */
  async searchCheckpoints(search: CheckpointSearch): Promise<CheckpointRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (search.threadId !== undefined) where.push(`thread_id = ${param(search.threadId)}`);
    if (search.checkpointNs !== undefined) where.push(`checkpoint_ns = ${param(search.checkpointNs)}`);
    if (search.checkpointId !== undefined) where.push(`checkpoint_id = ${param(search.checkpointId)}`);
    if (search.beforeCheckpointId !== undefined) where.push(`checkpoint_id < ${param(search.beforeCheckpointId)}`);
    // jsonb equality compares the JSON type too, so that `true` does not match `1`.
    for (const [key, value] of search.metadata) {
      where.push(`metadata -> ${param(key)}::text = ${param(JSON.stringify(value))}::text::jsonb`);
    }
    let text = `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoint_checkpoints`;
    if (where.length > 0) text += ` WHERE ${where.join(' AND ')}`;
    text += ' ORDER BY checkpoint_id DESC';
    if (search.limit !== undefined) text += ` LIMIT ${param(search.limit)}`;
    const rows = (await this.sql.unsafe(text, params)) as StoredCheckpointRow[];
    return rows.map(toCheckpointRow);
  }

  /** A checkpoint's pending writes in writesSortKey order. */
  async writes(key: CheckpointKey): Promise<WriteRow[]> {
    const rows = (await this.sql.unsafe(SELECT_WRITES, [key.thread_id, key.checkpoint_ns, key.checkpoint_id])) as WriteRow[];
    return sortWrites([...rows]);
  }

  /** Stores a checkpoint and the channel values it introduced, atomically. */
  async saveCheckpoint(row: CheckpointRow, values: ChannelBlob[]): Promise<void> {
    await this.sql.unsafe(SAVE_CHECKPOINT, [
      row.thread_id,
      row.checkpoint_ns,
      row.checkpoint_id,
      row.parent_checkpoint_id,
      row.checkpoint.type,
      row.checkpoint.blob,
      row.metadata,
      row.channel_versions,
      values.map((v) => v.channel),
      values.map((v) => v.version),
      values.map((v) => v.type),
      values.map((v) => v.blob),
      values.map((v) => v.base_version),
    ]);
  }

  async saveWrites(key: CheckpointKey, taskId: string, taskPath: string, writes: PendingWriteRow[]): Promise<void> {
    // One statement may not touch a row twice: of writes under one index, keep what the
    // statements one by one would (the first regular write, the last special one).
    const byIdx = new Map<number, PendingWriteRow>();
    for (const write of writes) if (write.idx < 0 || !byIdx.has(write.idx)) byIdx.set(write.idx, write);
    const rows = [...byIdx.values()];
    if (rows.length === 0) return;
    await this.sql.unsafe(SAVE_WRITES, [
      key.thread_id,
      key.checkpoint_ns,
      key.checkpoint_id,
      taskId,
      taskPath,
      rows.map((w) => w.idx),
      rows.map((w) => w.channel),
      rows.map((w) => w.type),
      rows.map((w) => w.blob),
    ]);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.sql.unsafe(DELETE_THREAD, [threadId]);
  }

  private async mixed(text: string, params: unknown[]): Promise<MixedRow[]> {
    return (await this.sql.unsafe(text, params)) as MixedRow[];
  }
}
