/**
 * Where "is this chat running" is answered for every instance: a lease per chat run, naming the
 * instance running it, and how each chat's last run ended. The run registry (run-registry.ts) owns
 * run state over this port; the runs themselves (their stop signals, a decision waiting to take
 * over) stay with the instance running them. Embedded, one process holds every lease
 * (InProcessRunLeases, below); in cluster mode Redis does (redis-run-leases.ts).
 */
import type { WaitingMessage } from '../../shared/chat-events.ts';

/** A chat's run as every instance sees it. */
export interface RunLease {
  /** The instance running it. */
  readonly holder: string;
  readonly claimId: string;
  readonly userId: string;
  /** Fencing: every lease taken gets a larger one than any before it on the same chat. */
  readonly token: number;
  /** While the run waits for a turn-start slot: how many runs start before it. */
  readonly position?: number;
  /** A send's message, shown with the run while it waits. */
  readonly message?: WaitingMessage;
  /** The approval the run asked for. */
  readonly raised?: string;
}

/** How a chat's last run ended, when that is more than its checkpoint says. */
export type RunEnding = { kind: 'failed'; reason: string } | { kind: 'stopped' };

/** What a run's lease starts with. */
export interface LeaseTerms {
  readonly claimId: string;
  readonly userId: string;
  readonly message?: WaitingMessage;
}

/** Where a held run stands; `position: null` once it left the turn-start queue. */
export interface LeaseNote {
  readonly position?: number | null;
  readonly raised?: string;
}

/** What the registry hears from the lease store. */
export interface LeaseEvents {
  /** This instance no longer holds the lease it ran `claimId` under (it lapsed, or another holds it): the run must stop. */
  lost(chatId: string, claimId: string): void;
  /** The chat's holder stopped renewing its lease (it died); told to exactly one instance. */
  lapsed(chatId: string, userId: string): void;
  /** Someone asked, on some instance, to stop the chat's run; `deleted` when the chat is gone. */
  stopRequested(chatId: string, deleted: boolean): void;
  /** The run holding the chat let go of it (or handed it to a decision), on some instance. */
  released(chatId: string): void;
}

export interface RunLeases {
  /** Takes the chat for a new run: its fencing token, or undefined when another run holds it. */
  take(chatId: string, terms: LeaseTerms): Promise<number | undefined>;
  /** The run holding the chat as `fromClaimId` hands it straight to the next run (a decision): its token, or undefined if it no longer held it. */
  handOver(chatId: string, fromClaimId: string, to: LeaseTerms): Promise<number | undefined>;
  /** Records where the held run stands; for the overlay only, so a failure is logged, never thrown. */
  note(chatId: string, claimId: string, note: LeaseNote): Promise<void>;
  /** Lets go of the chat, if `claimId` still holds it. */
  release(chatId: string, claimId: string): Promise<void>;
  /** The chat's lease, if a run holds it, and how its last run ended. */
  look(chatId: string): Promise<{ lease?: RunLease; ending?: RunEnding }>;
  /** Sets (or, with undefined, clears) how the chat's last run ended. */
  setEnding(chatId: string, ending: RunEnding | undefined): Promise<void>;
  /** Asks every instance (this one included) to stop the chat's run; its holder hears of it even if a message to it is lost. */
  requestStop(chatId: string, deleted: boolean): Promise<void>;
  /** Where the events go; one listener, the registry. */
  listen(events: LeaseEvents): void;
  close(): Promise<void>;
}

/** One process holds every lease: nothing lapses, nothing is lost, every request reaches this process only. */
export class InProcessRunLeases implements RunLeases {
  readonly #leases = new Map<string, RunLease>();
  /** Until the chat's next run starts. */
  readonly #endings = new Map<string, RunEnding>();
  #lastToken = 0;
  #events: LeaseEvents | undefined;

  async take(chatId: string, terms: LeaseTerms): Promise<number | undefined> {
    if (this.#leases.has(chatId)) return undefined;
    return this.#put(chatId, terms);
  }

  async handOver(chatId: string, fromClaimId: string, to: LeaseTerms): Promise<number | undefined> {
    if (this.#leases.get(chatId)?.claimId !== fromClaimId) return undefined;
    const token = this.#put(chatId, to);
    this.#events?.released(chatId);
    return token;
  }

  async note(chatId: string, claimId: string, note: LeaseNote): Promise<void> {
    const lease = this.#leases.get(chatId);
    if (lease?.claimId !== claimId) return;
    const { position, ...rest } = { ...lease, ...note };
    this.#leases.set(chatId, position === null ? rest : { ...rest, position });
  }

  async release(chatId: string, claimId: string): Promise<void> {
    if (this.#leases.get(chatId)?.claimId !== claimId) return;
    this.#leases.delete(chatId);
    this.#events?.released(chatId);
  }

  async look(chatId: string): Promise<{ lease?: RunLease; ending?: RunEnding }> {
    return { lease: this.#leases.get(chatId), ending: this.#endings.get(chatId) };
  }

  async setEnding(chatId: string, ending: RunEnding | undefined): Promise<void> {
    if (ending) this.#endings.set(chatId, ending);
    else this.#endings.delete(chatId);
  }

  async requestStop(chatId: string, deleted: boolean): Promise<void> {
    this.#events?.stopRequested(chatId, deleted);
  }

  listen(events: LeaseEvents): void {
    this.#events = events;
  }

  async close(): Promise<void> {}

  #put(chatId: string, terms: LeaseTerms): number {
    const token = ++this.#lastToken;
    const { claimId, userId, message } = terms;
    this.#leases.set(chatId, { holder: 'this process', claimId, userId, token, ...(message && { message }) });
    return token;
  }
}
