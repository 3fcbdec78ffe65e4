/**
 * Run leases in Redis (cluster mode): the one answer, for every instance, to "is this chat
 * running, who runs it, how did its last run end" (the port is run-leases.ts; the atomic
 * steps are run-lease-scripts.ts). A lease lives TTL_MS unless its holder renews it; the holder
 * renews all of its leases in one round trip every third of that. A holder that finds a lease of
 * its own gone (it stalled past the TTL, or Redis lost it) stops that run at once; its tool calls
 * keep their claim in the database, so a tool never runs twice either way. A holder that died
 * stops renewing: every instance looks for lapsed leases every SWEEP_MS, and exactly one of them
 * is told, so the chat's watchers hear it was cut off and Retry works through any instance.
 *
 * Stop, deletion and "the run let go" travel on the control channel, which delivers at most once
 * (an instance whose subscription is down misses them). So a stop is also recorded on the lease,
 * and the holder's renewal, which reads every lease it holds anyway, finds it there: a Stop the
 * message did not bring stops the run within a third of the TTL. All commands go over one
 * connection, in the order they are issued: an ending written before a release is there before
 * the lease is gone.
 */
import type { RedisClient } from 'bun';
import type { WaitingMessage } from '../../shared/chat-events.ts';
import type { ControlChannel } from '../cluster/control-channel.ts';
import { connectRedis, INSTANCE_ID, type RedisTarget } from '../cluster/redis.ts';
import type { Logger } from '../log.ts';
import { chatDeleted, runReleased, stopRun } from './run-control.ts';
import { HAND_OVER, NOTE, RELEASE, RENEW, REQUEST_STOP, SWEEP, TAKE } from './run-lease-scripts.ts';
import type { LeaseEvents, LeaseNote, LeaseTerms, RunEnding, RunLease, RunLeases } from './run-leases.ts';

const TTL_MS = 10_000;
const SWEEP_MS = 1_000;
/** How a chat's last run ended is kept this long (or until its next run starts). */
const ENDING_TTL_MS = 7 * 24 * 3_600_000;
/** Lapsed leases handled per sweep; the rest wait for the next. */
const SWEEP_BATCH = 100;

export interface RedisRunLeasesOptions {
  target: RedisTarget;
  control: ControlChannel;
  log: Logger;
  /** How long a lease lives unrenewed; tests shorten it. */
  ttlMs?: number;
  /** How often lapsed leases are looked for; tests shorten it. */
  sweepMs?: number;
  /** Who holds the leases taken here; tests name their "instances" within one process. */
  holder?: string;
}

/** A lease this instance holds, as renewal needs it. */
interface Held {
  claimId: string;
  member: string;
}

class RedisRunLeases implements RunLeases {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #holder: string;
  readonly #held = new Map<string, Held>();
  readonly #timers: ReturnType<typeof setInterval>[];
  readonly #unsubscribe: (() => void)[];
  #events: LeaseEvents | undefined;
  /** When every lease held was last confirmed; past the TTL without that, none can be trusted. */
  #renewedAt = Date.now();
  #renewing = false;
  #sweeping = false;

  constructor(private readonly options: RedisRunLeasesOptions) {
    this.#client = connectRedis(options.target);
    this.#prefix = options.target.keyPrefix;
    this.#ttlMs = options.ttlMs ?? TTL_MS;
    this.#holder = options.holder ?? INSTANCE_ID;
    const { control } = options;
    this.#unsubscribe = [
      control.on(stopRun, ({ chatId }) => this.#events?.stopRequested(chatId, false)),
      control.on(chatDeleted, ({ chatId }) => this.#events?.stopRequested(chatId, true)),
      control.on(runReleased, ({ chatId }) => this.#events?.released(chatId)),
    ];
    this.#timers = [
      setInterval(() => void this.#renew(), this.#ttlMs / 3),
      setInterval(() => void this.#sweep(), options.sweepMs ?? SWEEP_MS),
    ];
  }

  async take(chatId: string, terms: LeaseTerms): Promise<number | undefined> {
    const member = memberOf(chatId, terms.userId);
    const token = await TAKE.run(this.#client, this.#putKeys(chatId), this.#putArgs(terms, member));
    if (token === null) return undefined;
    this.#held.set(chatId, { claimId: terms.claimId, member });
    return Number(token);
  }

  async handOver(chatId: string, fromClaimId: string, to: LeaseTerms): Promise<number | undefined> {
    const member = memberOf(chatId, to.userId);
    this.#held.delete(chatId);
    try {
      const token = await HAND_OVER.run(this.#client, this.#putKeys(chatId), [fromClaimId, ...this.#putArgs(to, member)]);
      if (token === null) return undefined;
      this.#held.set(chatId, { claimId: to.claimId, member });
      await this.#announceRelease(chatId);
      return Number(token);
    } catch (error) {
      this.options.log.error('handing a chat’s lease to a decision failed', { chatId, error });
      return undefined;
    }
  }

  async note(chatId: string, claimId: string, note: LeaseNote): Promise<void> {
    const fields: string[] = [];
    if (note.position !== undefined) fields.push('position', note.position === null ? '' : String(note.position));
    if (note.raised !== undefined) fields.push('raised', note.raised);
    try {
      await NOTE.run(this.#client, [this.#leaseKey(chatId)], [claimId, ...fields]);
    } catch (error) {
      this.options.log.warn('noting where a run stands failed', { chatId, error });
    }
  }

  /** Never throws: a lease that could not be let go lapses within the TTL. */
  async release(chatId: string, claimId: string): Promise<void> {
    const held = this.#held.get(chatId);
    if (held?.claimId !== claimId) return;
    this.#held.delete(chatId);
    try {
      if (await RELEASE.run(this.#client, [this.#leaseKey(chatId), this.#expiriesKey], [claimId, held.member])) {
        await this.#announceRelease(chatId);
      }
    } catch (error) {
      this.options.log.error('letting go of a chat’s lease failed; it lapses on its own', { chatId, error });
    }
  }

  async look(chatId: string): Promise<{ lease?: RunLease; ending?: RunEnding }> {
    const [fields, ending] = await Promise.all([
      this.#client.send('HGETALL', [this.#leaseKey(chatId)]) as Promise<Record<string, string> | null>,
      this.#client.get(this.#endingKey(chatId)),
    ]);
    return { lease: leaseOf(fields), ending: ending ? (JSON.parse(ending) as RunEnding) : undefined };
  }

  async setEnding(chatId: string, ending: RunEnding | undefined): Promise<void> {
    const key = this.#endingKey(chatId);
    if (ending) await this.#client.send('SET', [key, JSON.stringify(ending), 'PX', String(ENDING_TTL_MS)]);
    else await this.#client.del(key);
  }

  async requestStop(chatId: string, deleted: boolean): Promise<void> {
    await REQUEST_STOP.run(this.#client, [this.#leaseKey(chatId)], [deleted ? 'deletion' : 'person']);
    try {
      await this.options.control.publish(deleted ? chatDeleted : stopRun, { chatId });
    } catch (error) {
      this.options.log.warn('telling the instances to stop a run failed; its holder finds the stop when it renews', { chatId, error });
    }
  }

  listen(events: LeaseEvents): void {
    this.#events = events;
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#client.close();
  }

  /** Renews every lease held here in one round trip; a lease found gone is lost, and a lease with a stop recorded on it is stopped. */
  async #renew(): Promise<void> {
    if (this.#renewing) return;
    this.#renewing = true;
    const held = [...this.#held];
    try {
      if (held.length === 0) {
        this.#renewedAt = Date.now();
        return;
      }
      const startedAt = Date.now();
      const keys = [this.#expiriesKey, ...held.map(([chatId]) => this.#leaseKey(chatId))];
      const args = [this.#ttlMs, ...held.flatMap(([, { claimId, member }]) => [claimId, member])];
      const told = (await RENEW.run(this.#client, keys, args)) as [number, 'lost' | 'person' | 'deletion'][];
      this.#renewedAt = startedAt;
      for (const [index, what] of told) {
        const [chatId, entry] = held[index - 1]!;
        if (what === 'lost') this.#lose(chatId, entry);
        // Only the run it was recorded for: it may have let go meanwhile, and a new run of this instance taken the chat.
        else if (this.#held.get(chatId)?.claimId === entry.claimId) this.#events?.stopRequested(chatId, what === 'deletion');
      }
    } catch (error) {
      this.options.log.warn('renewing run leases failed', { leases: held.length, error });
      // Unconfirmed for a whole TTL: another instance may hold them by now.
      if (Date.now() - this.#renewedAt >= this.#ttlMs) for (const entry of held) this.#lose(...entry);
    } finally {
      this.#renewing = false;
    }
  }

  #lose(chatId: string, { claimId }: Held): void {
    if (this.#held.get(chatId)?.claimId === claimId) this.#held.delete(chatId);
    this.options.log.warn('a run lost its lease and is stopped', { chatId, claimId });
    this.#events?.lost(chatId, claimId);
  }

  /** Finds leases whose holder stopped renewing them; each is told to exactly one instance. */
  async #sweep(): Promise<void> {
    // Only an instance that will tell the chat's watchers may take a lapse.
    if (this.#sweeping || !this.#events) return;
    this.#sweeping = true;
    try {
      const lapsed = (await SWEEP.run(this.#client, [this.#expiriesKey], [this.#leaseKey(''), SWEEP_BATCH])) as string[];
      for (const member of lapsed) {
        const [chatId, userId] = JSON.parse(member) as [string, string];
        this.#events?.lapsed(chatId, userId);
      }
    } catch (error) {
      this.options.log.warn('looking for lapsed run leases failed', { error });
    } finally {
      this.#sweeping = false;
    }
  }

  async #announceRelease(chatId: string): Promise<void> {
    await this.options.control.publish(runReleased, { chatId });
  }

  #putKeys(chatId: string): string[] {
    return [this.#leaseKey(chatId), this.#expiriesKey, `${this.#prefix}run-fence`];
  }

  #putArgs(terms: LeaseTerms, member: string): string[] {
    const message = terms.message ? JSON.stringify(terms.message) : '';
    return [this.#holder, terms.claimId, terms.userId, message, String(this.#ttlMs), member];
  }

  #leaseKey(chatId: string): string {
    return `${this.#prefix}run:${chatId}`;
  }

  get #expiriesKey(): string {
    return `${this.#prefix}run-expiries`;
  }

  #endingKey(chatId: string): string {
    return `${this.#prefix}run-ending:${chatId}`;
  }
}

/** Run leases for cluster mode: `new RunRegistry(redisRunLeases({ target, control, log }))`; `runs.close()` closes them. */
export function redisRunLeases(options: RedisRunLeasesOptions): RunLeases {
  return new RedisRunLeases(options);
}

/** A chat's entry in the expiries: its owner comes with it, since a lapsed lease is gone. */
function memberOf(chatId: string, userId: string): string {
  return JSON.stringify([chatId, userId]);
}

function leaseOf(fields: Record<string, string> | null): RunLease | undefined {
  if (!fields?.claim) return undefined;
  const { holder = '', claim, user = '', token, position, message, raised } = fields;
  return {
    holder,
    claimId: claim,
    userId: user,
    token: Number(token),
    ...(position !== undefined && { position: Number(position) }),
    ...(message !== undefined && { message: JSON.parse(message) as WaitingMessage }),
    ...(raised !== undefined && { raised }),
  };
}
