/**
 * Append-only storage of list-valued channels. A list that extends the value of an earlier
 * version of the same channel (a plain messages list at every step, or a DeltaChannel's periodic
 * snapshot of the whole history) is stored as a reference to that version plus its new items, so
 * a step serializes and writes what it added instead of the whole history again. Every
 * MAX_DELTA_DEPTH versions the whole list is stored again, so a read walks a bounded chain.
 *
 * "Extends" is decided by identity: the saver remembers which item objects made up each list it
 * stored or loaded, and a new list whose first n items are those very objects extends that
 * version. Message ids could not tell a message replaced under its own id (the messages reducers
 * do that) from the original, and comparing serialized forms would cost the serialization this
 * saves. Like LangGraph's DeltaChannel, this relies on state items not being mutated in place
 * once written: state changes go through reducers, which build new lists.
 *
 * The memory is weak (keyed by each list's last item), so it lives only as long as the graph
 * keeps those items; a process that never saw a list just stores the whole of it once.
 */
import { DeltaSnapshot, isDeltaSnapshot } from '@langchain/langgraph-checkpoint';

/** The most stored versions a read walks before it reaches a whole value. */
export const MAX_DELTA_DEPTH = 64;

/** A channel of one thread: its values are only ever extended from the same channel's versions. */
export interface ChannelKey {
  threadId: string;
  checkpointNs: string;
  channel: string;
}

interface KnownList {
  channel: string;
  version: string;
  /** Our own copy: a caller pushing onto the list it was given cannot change what we compare against. */
  items: readonly unknown[];
  /** Versions between this one and the nearest whole value. */
  depth: number;
  /** The thread's generation when this was known; deleting the thread moves it on. */
  generation: number;
}

/** What to serialize for a channel value, and what to remember once it is committed. */
export interface PlannedValue {
  /** The whole value, or its new items only (wrapped as the value is: list or DeltaSnapshot). */
  stored: unknown;
  /** The version whose value `stored` extends; null when `stored` is the whole value. */
  baseVersion: string | null;
  /** The value's items, when it is a list. */
  items: readonly unknown[] | undefined;
  depth: number;
}

export class AppendOnlyLists {
  private readonly byLastItem = new WeakMap<object, KnownList>();
  /** Only threads deleted by this saver have an entry: their remembered versions are gone. */
  private readonly generations = new Map<string, number>();

  plan(key: ChannelKey, value: unknown): PlannedValue {
    const items = itemsOf(value);
    if (items === undefined) return { stored: value, baseVersion: null, items, depth: 0 };
    const base = this.extended(key, items);
    if (base === undefined) return { stored: value, baseVersion: null, items, depth: 0 };
    return {
      stored: withItems(value, items.slice(base.items.length)),
      baseVersion: base.version,
      items,
      depth: base.depth + 1,
    };
  }

  /** Call once the value is committed: only then may a later version refer to it. */
  remember(key: ChannelKey, version: string, items: readonly unknown[], depth: number): void {
    const last = items.at(-1);
    if (!isObject(last)) return;
    this.byLastItem.set(last, {
      channel: channelId(key),
      version,
      items: items.slice(),
      depth,
      generation: this.generation(key.threadId),
    });
  }

  /**
   * The value at a version from its chain of deserialized rows, newest first: a whole value at
   * the end, each row before it adding items to the one after it.
   */
  assemble(key: ChannelKey, version: string, chain: readonly unknown[]): unknown {
    const newest = chain[0];
    if (chain.length === 1) {
      const items = itemsOf(newest);
      if (items !== undefined) this.remember(key, version, items, 0);
      return newest;
    }
    const items: unknown[] = [];
    for (let i = chain.length - 1; i >= 0; i -= 1) {
      const linkItems = itemsOf(chain[i]);
      if (linkItems === undefined) throw new Error(`checkpoint value of channel "${key.channel}" at ${version} is not a list`);
      for (const item of linkItems) items.push(item);
    }
    this.remember(key, version, items, chain.length - 1);
    return withItems(newest, items);
  }

  forgetThread(threadId: string): void {
    this.generations.set(threadId, this.generation(threadId) + 1);
  }

  /** The latest remembered list of this channel that `items` starts with, if a delta may refer to it. */
  private extended(key: ChannelKey, items: readonly unknown[]): KnownList | undefined {
    const channel = channelId(key);
    const generation = this.generation(key.threadId);
    // New items are at the end, so the base's last item is usually found within a few steps back.
    for (let end = items.length - 1; end >= 0; end -= 1) {
      const item = items[end];
      const known = isObject(item) ? this.byLastItem.get(item) : undefined;
      if (known === undefined || known.items.length !== end + 1 || known.channel !== channel) continue;
      if (known.generation !== generation || known.depth >= MAX_DELTA_DEPTH) return undefined;
      return known.items.every((knownItem, i) => knownItem === items[i]) ? known : undefined;
    }
    return undefined;
  }

  private generation(threadId: string): number {
    return this.generations.get(threadId) ?? 0;
  }
}

function itemsOf(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isDeltaSnapshot(value) && Array.isArray(value.value)) return value.value;
  return undefined;
}

/** `items` in the shape of `like`: a list, or a DeltaSnapshot of one. */
function withItems(like: unknown, items: unknown[]): unknown {
  return isDeltaSnapshot(like) ? new DeltaSnapshot(items) : items;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function channelId(key: ChannelKey): string {
  return JSON.stringify([key.threadId, key.checkpointNs, key.channel]);
}
