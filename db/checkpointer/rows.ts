/**
 * The rows both savers store (bun:sqlite in tables.ts, PostgreSQL in postgres-tables.ts): a
 * checkpoint without its channel values, each channel value once per version, and the pending
 * writes of each checkpoint. Values arrive here already serialized.
 */
import { compareWritesSortKeys, writesSortKey } from '@langchain/langgraph-checkpoint';

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
  /**
   * JSON text: each channel's version as the string that keys its stored value. Null in SQLite
   * rows written before the column existed; the deserialized checkpoint has them too.
   */
  channel_versions: string | null;
}

/** A checkpoint row as both databases return it: the serialized checkpoint in two columns. */
export interface StoredCheckpointRow extends CheckpointKey {
  parent_checkpoint_id: string | null;
  type: string;
  checkpoint: Uint8Array;
  metadata: string;
  channel_versions: string | null;
}

export function toCheckpointRow({ type, checkpoint, ...rest }: StoredCheckpointRow): CheckpointRow {
  return { ...rest, checkpoint: { type, blob: checkpoint } };
}

export interface WriteRow extends SerializedValue {
  task_id: string;
  task_path: string;
  idx: number;
  channel: string;
}

/** What a delta channel's walk needs of an ancestor checkpoint. */
export interface AncestorRow {
  parent_checkpoint_id: string | null;
  channel_versions: string | null;
}

export interface ChannelBlob extends SerializedValue {
  channel: string;
  version: string;
  /** The version whose value this blob's items extend; null when the blob is the whole value. */
  base_version: string | null;
}

export interface StoredChannelValue extends SerializedValue {
  base_version: string | null;
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

/**
 * A checkpoint's writes in the order LangGraph applies a superstep's writes (writesSortKey),
 * sorted here with LangGraph's own comparator: an ORDER BY on columns no index covers made
 * SQLite build a sorter for each query, which tripled its cost (19 µs instead of 6).
 */
export function sortWrites<T extends { task_path: string; task_id: string; idx: number }>(writes: T[]): T[] {
  if (writes.length < 2) return writes;
  return writes.sort((a, b) =>
    compareWritesSortKeys(writesSortKey(a.task_path, a.task_id, a.idx), writesSortKey(b.task_path, b.task_id, b.idx)),
  );
}
