/**
 * Deserialized list values of immutable rows, kept so that a thread's history is not deserialized
 * again at every read: at turn 300 that was most of a turn start's reads. The saver keeps channel
 * values (a messages list, or a DeltaChannel's snapshot of one) by thread, channel and version,
 * and a DeltaChannel's writes by checkpoint, task and index.
 *
 * Correct because such a row names one value for good: it is inserted once and never changed
 * (INSERT OR IGNORE), versions carry a random fraction and checkpoint ids are uuid6, so no other
 * write, in this process or another, stores a different value under the same key. A cached value
 * is only looked up for a row the read just found in the database, so the "latest checkpoint"
 * always comes from the database. deleteThread drops the thread's entries, in case a thread is
 * deleted and written again under the same keys.
 *
 * Each read gets a list of its own, so a caller that pushes onto its list cannot change what the
 * next one reads; the items are shared, which append-only.ts already relies on (state items are
 * not mutated in place once written). Bounded by the stored bytes of the values it holds; the
 * least recently read go first.
 */
import { DeltaSnapshot, isDeltaSnapshot } from '@langchain/langgraph-checkpoint';

/**
 * Stored (serialized) bytes: the values take a few times that in memory. The 600 messages of
 * bench/checkpointer.ts's 300-turn chat are about 0.3 MB stored, so this holds the histories of
 * some fifty such chats, or of a few thousand short ones.
 */
const MAX_STORED_BYTES = 16 * 1024 * 1024;

interface Entry {
  threadId: string;
  key: string;
  /** A list, or the items of a DeltaSnapshot. */
  items: readonly unknown[];
  snapshot: boolean;
  bytes: number;
}

export class ListValueCache {
  /** In order of last use, least recent first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  /** Each thread's keys. */
  private readonly keysByThread = new Map<string, Set<string>>();
  private bytes = 0;

  /** A copy of the value kept under `key` in the thread, if any. */
  get(threadId: string, key: string): unknown {
    const id = entryId(threadId, key);
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return copyOf(entry);
  }

  /**
   * Keeps `value` if it is a list (or a DeltaSnapshot of one) that fits, and returns what the
   * caller may hand out: a copy when kept, else `value` itself.
   */
  keep(threadId: string, key: string, value: unknown, storedBytes: number): unknown {
    const items = Array.isArray(value) ? value : isDeltaSnapshot(value) && Array.isArray(value.value) ? value.value : undefined;
    if (items === undefined || storedBytes > MAX_STORED_BYTES) return value;
    const id = entryId(threadId, key);
    this.drop(id);
    const entry: Entry = { threadId, key, items, snapshot: !Array.isArray(value), bytes: storedBytes };
    this.entries.set(id, entry);
    this.keysByThread.set(threadId, (this.keysByThread.get(threadId) ?? new Set()).add(key));
    this.bytes += storedBytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= MAX_STORED_BYTES) break;
      this.drop(oldest);
    }
    return copyOf(entry);
  }

  /**
   * The thread's values whose key starts with `prefix`, each read as `get` would, even once
   * evicted: a caller can tell its database which values it need not send, and still have them
   * when the answer comes.
   */
  pin(threadId: string, prefix: string): Map<string, () => unknown> {
    const pinned = new Map<string, () => unknown>();
    for (const key of this.keysByThread.get(threadId) ?? []) {
      if (!key.startsWith(prefix)) continue;
      const entry = this.entries.get(entryId(threadId, key));
      if (entry !== undefined) pinned.set(key, () => copyOf(entry));
    }
    return pinned;
  }

  forgetThread(threadId: string): void {
    for (const key of [...(this.keysByThread.get(threadId) ?? [])]) this.drop(entryId(threadId, key));
  }

  private drop(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    const keys = this.keysByThread.get(entry.threadId);
    keys?.delete(entry.key);
    if (keys?.size === 0) this.keysByThread.delete(entry.threadId);
    this.bytes -= entry.bytes;
  }
}

function copyOf(entry: Entry): unknown {
  return entry.snapshot ? new DeltaSnapshot(entry.items.slice()) : entry.items.slice();
}

function entryId(threadId: string, key: string): string {
  return JSON.stringify([threadId, key]);
}
