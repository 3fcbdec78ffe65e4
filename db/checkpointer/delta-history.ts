/**
 * Rebuilding DeltaChannel values (e.g. MessagesDeltaValue) from the writes since their last
 * snapshot, for `getDeltaChannelHistory`: from the checkpoint's parent up, each ancestor's writes
 * to the channels still without a seed, until an ancestor holds a stored value (the seed) of
 * each. The walk runs over rows: a SQLite read fetches each ancestor as it goes, a PostgreSQL read
 * has fetched them all in one statement that stops where this walk stops.
 */
import type { ChannelVersions, CheckpointPendingWrite, DeltaChannelHistory } from '@langchain/langgraph-checkpoint';
import type { ChannelKey } from './append-only.ts';
import type { ChannelReads, CheckpointCodec, PinnedValues, ValueLookup } from './checkpoint-codec.ts';
import type { AncestorRow, WriteRow } from './rows.ts';

/** The rows of a thread's ancestors a walk reads. */
export interface AncestorRows {
  ancestor(checkpointId: string): AncestorRow | undefined;
  writes(checkpointId: string): WriteRow[];
  channelValue: ValueLookup;
}

export class DeltaHistoryWalk {
  /** The channels whose seed is still to be found. */
  private readonly remaining: Set<string>;
  /** The channels that can have a seed (any stored value in the thread); all unless `seedableOnly` says otherwise. */
  private seedable: Set<string> | undefined;
  /** Each ancestor's writes to the channels still remaining there, nearest ancestor first. */
  private readonly blocks: { checkpointId: string; writes: WriteRow[] }[] = [];
  private readonly seeds: ChannelReads = [];

  constructor(
    readonly threadId: string,
    readonly checkpointNs: string,
    private readonly channels: string[],
    private readonly codec: CheckpointCodec,
    /** Values the rows left out as already deserialized. */
    private readonly pinned?: PinnedValues,
  ) {
    this.remaining = new Set(channels);
  }

  /** A channel with no stored value in the thread (a DeltaChannel before its first snapshot) has no seed to look for. */
  seedableOnly(hasChannelValues: (channel: string) => boolean): void {
    this.seedable = new Set(this.channels.filter(hasChannelValues));
  }

  /**
   * Walks up from `from` to the seeds of the remaining channels or the root. Returns the first
   * ancestor whose versions the walk needs but its row does not name (written before the
   * channel_versions column): only deserializing it tells them; go on with `takeSeeds` and `walk`.
   */
  walk(from: string | null, rows: AncestorRows): { checkpointId: string; parent: string | null } | undefined {
    for (let id = from; id !== null && this.remaining.size > 0; ) {
      const ancestor = rows.ancestor(id);
      if (ancestor === undefined) break;
      // The ancestor's writes produced its child, so they replay on top of the ancestor's value.
      this.blocks.push({ checkpointId: id, writes: rows.writes(id).filter((w) => this.remaining.has(w.channel)) });
      if ([...this.remaining].some((ch) => this.seedable?.has(ch) ?? true)) {
        if (ancestor.channel_versions === null) return { checkpointId: id, parent: ancestor.parent_checkpoint_id };
        this.takeSeeds(JSON.parse(ancestor.channel_versions) as ChannelVersions, rows.channelValue);
      }
      id = ancestor.parent_checkpoint_id;
    }
    return undefined;
  }

  /** Takes as seeds the remaining channels' values stored at these versions (an ancestor's). */
  takeSeeds(versions: ChannelVersions, lookup: ValueLookup): void {
    for (const channel of this.remaining) {
      if (!(this.seedable?.has(channel) ?? true) || versions[channel] === undefined) continue;
      const key: ChannelKey = { threadId: this.threadId, checkpointNs: this.checkpointNs, channel };
      const read = this.codec.readChannelValue(key, String(versions[channel]), lookup, this.pinned);
      if (read === undefined) continue;
      this.seeds.push([key, String(versions[channel]), read]);
      this.remaining.delete(channel);
    }
  }

  /** Each channel's seed (if found) and the writes to replay on it, oldest first. */
  async histories(): Promise<Record<string, DeltaChannelHistory>> {
    const [seeds, writes] = await Promise.all([
      Promise.all(
        this.seeds.map(async ([key, version, read]) => [key.channel, await this.codec.decodeChannelValue(key, version, read)] as const),
      ),
      Promise.all(
        this.blocks
          .toReversed()
          .flatMap(({ checkpointId, writes }) =>
            writes.map(
              (w): Promise<CheckpointPendingWrite> => this.codec.decodeDeltaWrite(this.threadId, this.checkpointNs, checkpointId, w),
            ),
          ),
      ),
    ]);
    const seedOf = new Map(seeds);
    return Object.fromEntries(
      this.channels.map((ch): [string, DeltaChannelHistory] => {
        const history: DeltaChannelHistory = { writes: writes.filter((write) => write[1] === ch) };
        if (seedOf.has(ch)) history.seed = seedOf.get(ch);
        return [ch, history];
      }),
    );
  }
}
