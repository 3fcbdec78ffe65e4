/**
 * What both savers (bun:sqlite and PostgreSQL) do between LangGraph's objects and their rows:
 * serializing a put into a checkpoint row and the values of the channels it changed (lists as
 * what they add to an earlier version: append-only.ts), and assembling a checkpoint tuple back
 * from the rows a read fetched, reusing list values already deserialized (list-value-cache.ts).
 * The savers differ only in how they fetch and store rows.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  TASKS,
  WRITES_IDX_MAP,
  maxChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { AppendOnlyLists, type ChannelKey } from './append-only.ts';
import { ListValueCache } from './list-value-cache.ts';
import type { ChannelBlob, CheckpointKey, CheckpointRow, PendingWriteRow, SerializedValue, StoredChannelValue, WriteRow } from './rows.ts';

export type StoredCheckpoint = Omit<Checkpoint, 'channel_values'>;

/** A channel value as read: already deserialized (cached), or its stored rows, newest first (append-only.ts). */
export type ChannelRead = { cached: unknown } | { rows: StoredChannelValue[] };
export type ChannelReads = [key: ChannelKey, version: string, read: ChannelRead][];
/** A channel's stored value at a version, from the rows a read has (or can still fetch, in a SQLite read). */
export type ValueLookup = (channel: string, version: string) => StoredChannelValue | undefined;

/**
 * The channel values of a thread (and namespace) already deserialized when a read began: the
 * read need not fetch their rows, and has them even if the cache drops them before its answer.
 */
export interface PinnedValues {
  channels: string[];
  versions: string[];
  get(channel: string, version: string): (() => unknown) | undefined;
}

/** The rows of one checkpoint tuple, read together. */
export interface TupleRead {
  row: CheckpointRow;
  writes: WriteRow[];
  /** Undefined when the row does not name its versions (written before that column): read once it is deserialized. */
  values: ChannelReads | undefined;
}

/** A put's rows, and what to call once they are committed. */
export interface PutRows {
  row: CheckpointRow;
  values: ChannelBlob[];
  /** The config `put` returns. */
  config: RunnableConfig;
  /** Only a committed value may be the base of a later version's delta. */
  committed(): void;
}

/**
 * Channel versions key the stored values, so two branches forked from one checkpoint must never
 * mint the same version for different values, as the default counter does (both go from 4 to
 * 5). A random fraction on top of the counter keeps each branch's versions apart while they stay
 * numbers that increase, which is all LangGraph compares.
 */
export function forkSafeNextVersion(current: number | undefined): number {
  return Math.floor(current ?? 0) + 1 + Math.random();
}

function configFor(row: CheckpointKey, checkpointId: string): RunnableConfig {
  return { configurable: { thread_id: row.thread_id, checkpoint_ns: row.checkpoint_ns, checkpoint_id: checkpointId } };
}

export class CheckpointCodec {
  private readonly lists = new AppendOnlyLists();
  private readonly decoded = new ListValueCache();

  constructor(private readonly serde: SerializerProtocol) {}

  async putRows(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<PutRows> {
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
    return {
      row: {
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
      values: changedValues,
      config: { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } },
      committed: () => {
        for (const value of planned) {
          if (value.items !== undefined) this.lists.remember(value.key, value.version, value.items, value.depth);
        }
      },
    };
  }

  async writeRows(config: RunnableConfig, writes: PendingWrite[]): Promise<{ key: CheckpointKey; rows: PendingWriteRow[] }> {
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
    return { key, rows };
  }

  forgetThread(threadId: string): void {
    this.lists.forgetThread(threadId);
    this.decoded.forgetThread(threadId);
  }

  pinValues(threadId: string, checkpointNs: string): PinnedValues {
    const pinned = this.decoded.pin(threadId, `${VALUE_ID_PREFIX}${JSON.stringify(checkpointNs)},`);
    const channels: string[] = [];
    const versions: string[] = [];
    for (const id of pinned.keys()) {
      const [, channel, version] = JSON.parse(id.slice(VALUE_ID_PREFIX.length - 1)) as [string, string, string];
      channels.push(channel);
      versions.push(version);
    }
    return {
      channels,
      versions,
      get: (channel, version) => pinned.get(channelValueId({ threadId, checkpointNs, channel }, version)),
    };
  }

  /** The stored values of the channels at these versions; channels with none stored are left out. */
  readChannelValues(row: CheckpointKey, versions: ChannelVersions, lookup: ValueLookup, pinned?: PinnedValues): ChannelReads {
    const reads: ChannelReads = [];
    for (const [channel, version] of Object.entries(versions)) {
      const key: ChannelKey = { threadId: row.thread_id, checkpointNs: row.checkpoint_ns, channel };
      const read = this.readChannelValue(key, String(version), lookup, pinned);
      if (read !== undefined) reads.push([key, String(version), read]);
    }
    return reads;
  }

  /** A channel's value at a version, with the versions it extends (append-only.ts); undefined if none is stored. */
  readChannelValue(key: ChannelKey, version: string, lookup: ValueLookup, pinned?: PinnedValues): ChannelRead | undefined {
    const held = pinned?.get(key.channel, version);
    if (held !== undefined) return { cached: held() };
    const cached = this.decoded.get(key.threadId, channelValueId(key, version));
    if (cached !== undefined) return { cached };
    const rows: StoredChannelValue[] = [];
    for (let next: string | null = version; next !== null; ) {
      const stored = lookup(key.channel, next);
      if (stored === undefined) {
        if (rows.length === 0) return undefined;
        throw new Error(`checkpoint value of channel "${key.channel}" at ${version} extends version ${next}, which is missing`);
      }
      rows.push(stored);
      next = stored.base_version;
    }
    return { rows };
  }

  async decodeChannelValue(key: ChannelKey, version: string, read: ChannelRead): Promise<unknown> {
    if ('cached' in read) return read.cached;
    const value = this.lists.assemble(key, version, await Promise.all(read.rows.map((stored) => this.load(stored))));
    const storedBytes = read.rows.reduce((sum, stored) => sum + stored.blob.byteLength, 0);
    return this.decoded.keep(key.threadId, channelValueId(key, version), value, storedBytes);
  }

  /**
   * The tuple of a read. `readValues` reads the values of a row that does not name its versions,
   * once they are known; `parentWrites` the parent's writes, for a checkpoint older than v4.
   */
  async tuple(
    { row, writes, values }: TupleRead,
    readValues: (versions: ChannelVersions) => ChannelReads,
    parentWrites: (parent: CheckpointKey) => WriteRow[] | Promise<WriteRow[]>,
  ): Promise<CheckpointTuple> {
    const stored = (await this.load(row.checkpoint)) as StoredCheckpoint;
    const reads = values ?? readValues(stored.channel_versions ?? {});
    const checkpoint: Checkpoint = {
      ...stored,
      channel_values: Object.fromEntries(
        await Promise.all(reads.map(async ([key, version, read]) => [key.channel, await this.decodeChannelValue(key, version, read)])),
      ),
    };
    if (checkpoint.v < 4 && row.parent_checkpoint_id !== null) {
      const parent = { ...row, checkpoint_id: row.parent_checkpoint_id };
      await this.migratePendingSends(
        checkpoint,
        (await parentWrites(parent)).filter((w) => w.channel === TASKS),
      );
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

  /**
   * A DeltaChannel's write, from the cache where it is: they are replayed at every read of a
   * checkpoint after them until the next snapshot. Special writes (negative idx) may be
   * replaced, so they are never kept.
   */
  async decodeDeltaWrite(threadId: string, checkpointNs: string, checkpointId: string, w: WriteRow): Promise<CheckpointPendingWrite> {
    if (w.idx < 0) return [w.task_id, w.channel, await this.load(w)];
    const id = `w${JSON.stringify([checkpointNs, checkpointId, w.task_id, w.idx])}`;
    const value = this.decoded.get(threadId, id) ?? this.decoded.keep(threadId, id, await this.load(w), w.blob.byteLength);
    return [w.task_id, w.channel, value];
  }

  load(value: SerializedValue): Promise<unknown> {
    return this.serde.loadsTyped(value.type, value.blob);
  }

  private decodeWrites(writes: readonly WriteRow[]): Promise<CheckpointPendingWrite[]> {
    return Promise.all(writes.map(async (w): Promise<CheckpointPendingWrite> => [w.task_id, w.channel, await this.load(w)]));
  }

  /**
   * Before checkpoint format v4, pending sends lived on the checkpoint; since v4 they are TASKS
   * writes of the parent. Old checkpoints are returned as if they had been written in v4.
   */
  private async migratePendingSends(checkpoint: Checkpoint, parentSends: WriteRow[]): Promise<void> {
    if (parentSends.length === 0) return;
    const sends = await this.decodeWrites(parentSends);
    checkpoint.channel_values[TASKS] = sends.map(([, , value]) => value);
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : forkSafeNextVersion(undefined);
  }

  private async dump(value: unknown): Promise<SerializedValue> {
    const [type, blob] = await this.serde.dumpsTyped(value);
    return { type, blob };
  }

  /** Kept as JSON text so that list() filters on it in SQL. */
  private async dumpMetadata(metadata: CheckpointMetadata): Promise<string> {
    const { type, blob } = await this.dump(metadata);
    if (type !== 'json') throw new Error(`checkpoint metadata must serialize to JSON, not "${type}"`);
    return new TextDecoder().decode(blob);
  }
}

/** Starts the cache key of every channel value (a write's starts with `w`), and the JSON array after it. */
const VALUE_ID_PREFIX = 'v[';

/** The cache key of a channel's value at a version. */
function channelValueId(key: ChannelKey, version: string): string {
  return `v${JSON.stringify([key.checkpointNs, key.channel, version])}`;
}
