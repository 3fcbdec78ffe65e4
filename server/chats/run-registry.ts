/**
 * The one owner of run state: which chats have a run waiting for a turn-start slot or going (one
 * at a time per chat, answered at once; the agent's thread lock serialises the work itself), the
 * signal that stops each run, and how each chat's last run ended (failed because, stopped by the
 * person). Every instance answers alike through the lease store (run-leases.ts): a lease per chat
 * run, in this process when embedded, in Redis in cluster mode. The runs themselves (their stop
 * signals, a decision waiting to take over) stay with the instance running them.
 * The agent's history reads only the checkpoint; `overlay` adds what the leases know.
 *
 * The approval event reaches the person before the run that raised it has let go of the chat
 * (it still stores its checkpoint), so a quick decision on that approval waits for the run
 * (SETTLE_WAIT_MS at most) and then takes the chat: handed over directly on the run's instance,
 * taken when it lets go on any other. Any other decision while a run holds the chat (a second one
 * on the same approval, or one during a run that asked for nothing) is refused as a conflict.
 */
import type { RunState, WaitingMessage } from '../../shared/chat-events.ts';
import { CUT_OFF_REASON } from '../agent/llm-handler.ts';
import type { StopReason } from '../agent/stopped.ts';
import { DomainError } from '../domain-error.ts';
import type { Ticket } from './admission.ts';
import { InProcessRunLeases, type RunLeases } from './run-leases.ts';

const DECISION_BUSY = 'This chat is busy; your decision was not applied. Reload to see where it stands.';
/** How long a decision waits for the run that asked for it to settle. */
const SETTLE_WAIT_MS = 10_000;
/** A wait for another instance's run to let go re-reads its lease this often, should the word of it be lost. */
const RECHECK_MS = 1_000;
/** How long deleting a chat waits for its run to stop, so that nothing of the run is written after the chat is gone. */
const DELETE_WAIT_MS = 5_000;

/** A run's hold on its chat. */
export interface Claim {
  /** Names the run in its lease. */
  readonly id: string;
  readonly userId: string;
  /** A send's message: its chat's watchers see it with the run while the run waits for a slot. */
  readonly message?: WaitingMessage;
  /** Stops the run (`stop`, `stopRunsOf`, `stopAll`, a lost lease); the run is handed it. */
  readonly signal: AbortSignal;
  /** Its lease's fencing token, once taken. */
  token: number;
  /** Its lease was lost: another run may hold the chat now, so nothing of this one may reach the chat's watchers. */
  lost: boolean;
  /** The approval this run has asked for, once it has. */
  raised?: string;
  /**
   * A decision on `raised`, waiting to take the chat over the moment this run lets go (undefined:
   * it could not); false when that decision has given up meanwhile.
   */
  heir?: (next: Claim | undefined) => boolean;
  /** The run's place in the turn-start queue, then its slot. */
  ticket?: Ticket;
}

/**
 * Why a run's signal was aborted; `byPerson` when the person pressed Stop or deleted the chat, and
 * `keepsAnswer` (agent/stopped.ts) only for Stop: the answer as far as it got is then kept.
 */
export class RunStopped extends Error implements StopReason {
  constructor(
    message: string,
    readonly byPerson: boolean,
    readonly keepsAnswer = false,
  ) {
    super(message);
    this.name = 'RunStopped';
  }
}

/** The chat was deleted while its run went on: the run tells nobody anything more, for the chat's events are being dropped. */
export class ChatDeleted extends RunStopped {
  constructor() {
    super('the chat was deleted', true);
  }
}

interface Hold {
  claim: Claim;
  controller: AbortController;
  /** Resolves when the run lets go of the chat. */
  released: PromiseWithResolvers<void>;
  /** It left the turn-start queue and began; until then a stop leaves the chat as it was. */
  started: boolean;
  stoppedBy?: 'person' | 'deletion';
}

/** A run waiting for a slot, `position` runs from starting, with its message if it is a send. */
export function queuedState(claim: { message?: WaitingMessage }, position: number): RunState {
  return claim.message ? { status: 'queued', position, message: claim.message } : { status: 'queued', position };
}

export class RunRegistry {
  /** The runs of this instance, from their claim until they let go. */
  readonly #local = new Map<string, Hold>();
  readonly #releaseWaiters = new Map<string, Set<() => void>>();
  readonly #lapseHooks = new Set<(chatId: string, userId: string) => void>();

  constructor(private readonly leases: RunLeases = new InProcessRunLeases()) {
    leases.listen({
      lost: (chatId, claimId) => {
        const hold = this.#local.get(chatId);
        // Another instance may already be running it: this one must not write on.
        if (hold?.claim.id !== claimId) return;
        hold.claim.lost = true;
        hold.controller.abort(new RunStopped('this instance lost its lease on the chat', false));
      },
      lapsed: (chatId, userId) => {
        for (const hook of this.#lapseHooks) hook(chatId, userId);
      },
      stopRequested: (chatId, deleted) => {
        const hold = this.#local.get(chatId);
        if (hold) this.#stopHere(hold, deleted ? 'deletion' : 'person');
      },
      released: (chatId) => {
        for (const wake of this.#releaseWaiters.get(chatId) ?? []) wake();
      },
    });
  }

  /** How many chats have a run held on this instance now, waiting for a start slot or answering (operators' gauge). */
  get localRunCount(): number {
    return this.#local.size;
  }

  /** Whether the person has a run going on this instance (their handlers here are not idle). */
  hasRunOf(userId: string): boolean {
    return [...this.#local.values()].some((hold) => hold.claim.userId === userId);
  }

  /** Holds the chat for a new run of the person's (a send names its message), or refuses with `busy`. */
  async claim(chatId: string, userId: string, busy: string, message?: WaitingMessage): Promise<Claim> {
    const claim = await this.#take(chatId, userId, message);
    if (!claim) throw new DomainError('conflict', busy);
    return claim;
  }

  /** A decision: takes the chat now, or once the run that asked for `interruptId` lets go, wherever it runs. */
  async claimForDecision(chatId: string, userId: string, interruptId: string): Promise<Claim> {
    const deadline = Date.now() + SETTLE_WAIT_MS;
    while (Date.now() < deadline) {
      const hold = this.#local.get(chatId);
      if (hold) return this.#succeed(hold, interruptId, deadline);
      const claim = await this.#take(chatId, userId);
      if (claim) return claim;
      const { lease } = await this.leases.look(chatId);
      if (!lease) continue; // it let go meanwhile
      if (lease.raised !== interruptId || !(await this.#releasedBy(chatId, lease.claimId, deadline))) break;
    }
    throw new DomainError('conflict', DECISION_BUSY);
  }

  /** The run waits in the turn-start queue, `position` runs from starting: watchers on every instance see it. */
  async queued(chatId: string, claim: Claim, position: number): Promise<void> {
    if (this.#local.get(chatId)?.claim === claim) await this.leases.note(chatId, claim.id, { position });
  }

  /** The run left the turn-start queue and begins: how the chat's last run ended stops applying. */
  async started(chatId: string, claim: Claim): Promise<void> {
    const hold = this.#local.get(chatId);
    if (hold?.claim !== claim) return;
    hold.started = true;
    await Promise.all([this.leases.note(chatId, claim.id, { position: null }), this.leases.setEnding(chatId, undefined)]);
  }

  /**
   * The run asked for an approval: a decision on it may take the chat over as soon as the run lets
   * go. Known here at once; recorded in its lease before the approval's event is published on, so a
   * decision through another instance, a round trip through the person later, finds it there.
   */
  async raised(chatId: string, claim: Claim, interruptId: string): Promise<void> {
    claim.raised = interruptId;
    if (this.#local.get(chatId)?.claim === claim) await this.leases.note(chatId, claim.id, { raised: interruptId });
  }

  /** The run's end, as it returned it: a failure's reason is kept until the chat's next run. */
  async ended(chatId: string, claim: Claim, state: RunState): Promise<void> {
    if (this.#local.get(chatId)?.claim !== claim || claim.lost) return;
    if (state.status === 'failed') await this.leases.setEnding(chatId, { kind: 'failed', reason: state.reason });
  }

  /** Hands the chat to the decision waiting for it, or frees it. */
  async release(chatId: string, claim: Claim): Promise<void> {
    const hold = this.#local.get(chatId);
    if (hold?.claim !== claim) return;
    try {
      // Leaving the answer unfinished was the person's choice, not a server that stopped.
      if (hold.stoppedBy === 'person' && hold.started && !claim.lost) await this.leases.setEnding(chatId, { kind: 'stopped' });
    } finally {
      this.#local.delete(chatId);
      if (claim.heir) await this.#handOver(chatId, claim, claim.heir);
      else await this.leases.release(chatId, claim.id);
      hold.released.resolve();
    }
  }

  /** The person stops the chat's run, wherever it runs, if one is waiting or going. */
  async stop(chatId: string): Promise<boolean> {
    const hold = this.#local.get(chatId);
    if (hold) {
      this.#stopHere(hold, 'person');
      return true;
    }
    const { lease } = await this.leases.look(chatId);
    if (!lease) return false;
    await this.leases.requestStop(chatId, false);
    return true;
  }

  /** Stops the person's runs on this instance (their handlers here close: idle, disabled, shutdown) and waits until they have let go. */
  async stopRunsOf(userId: string): Promise<void> {
    await this.#stopWhere((hold) => hold.claim.userId === userId, 'the person’s handlers were closed');
  }

  /** Stops every run of this instance (shutdown) and waits until they have let go; their checkpoints make them resumable. */
  async stopAll(): Promise<void> {
    await this.#stopWhere(() => true, 'the server is shutting down');
  }

  /**
   * The chat is gone: its run stops wherever it runs, and this waits (DELETE_WAIT_MS at most) until
   * it has let go, so that nothing of it is written after the chat's history is deleted.
   */
  async deleted(chatId: string): Promise<void> {
    const hold = this.#local.get(chatId);
    if (hold) {
      this.#stopHere(hold, 'deletion');
      await within(hold.released.promise, DELETE_WAIT_MS);
    } else {
      const { lease } = await this.leases.look(chatId);
      if (lease) {
        await this.leases.requestStop(chatId, true);
        await this.#releasedBy(chatId, lease.claimId, Date.now() + DELETE_WAIT_MS);
      }
    }
    await this.leases.setEnding(chatId, undefined);
  }

  /** Calls `hook` when a chat's run was cut off because its instance died (its lease lapsed); once across instances. */
  onLapsed(hook: (chatId: string, userId: string) => void): () => void {
    this.#lapseHooks.add(hook);
    return () => this.#lapseHooks.delete(hook);
  }

  /** Stops listening to the lease store and closes it (after `stopAll`, at shutdown). */
  async close(): Promise<void> {
    await this.leases.close();
  }

  /** What the chat's checkpoint says of its run (`fromCheckpoint`), with what the leases know laid over it. */
  async overlay(chatId: string, fromCheckpoint: RunState): Promise<RunState> {
    const hold = this.#local.get(chatId);
    if (hold) return heldState({ ...hold.claim, position: hold.claim.ticket?.position() }, fromCheckpoint);
    const { lease, ending } = await this.leases.look(chatId);
    if (lease) return heldState(lease, fromCheckpoint);
    if (fromCheckpoint.status === 'awaiting_approval') return fromCheckpoint;
    if (ending?.kind === 'failed') return { status: 'failed', reason: ending.reason };
    // The person stopped it mid-answer: a step left to run is their choice, not a server that stopped.
    if (ending?.kind === 'stopped' && fromCheckpoint.status === 'failed' && fromCheckpoint.reason === CUT_OFF_REASON) {
      return { status: 'idle' };
    }
    return fromCheckpoint;
  }

  /** Takes the chat for a run of this instance, or undefined when a run (here or elsewhere) holds it. */
  async #take(chatId: string, userId: string, message?: WaitingMessage): Promise<Claim | undefined> {
    if (this.#local.has(chatId)) return undefined;
    // Held here while the lease is taken, so a second claim on this instance is refused without asking.
    const hold = this.#hold(chatId, userId, message);
    const { claim } = hold;
    let token: number | undefined;
    try {
      token = await this.leases.take(chatId, { claimId: claim.id, userId, ...(message && { message }) });
    } finally {
      if (token === undefined) this.#drop(chatId, hold);
    }
    if (token === undefined) return undefined;
    claim.token = token;
    return claim;
  }

  #hold(chatId: string, userId: string, message?: WaitingMessage): Hold {
    const controller = new AbortController();
    const claim: Claim = {
      id: crypto.randomUUID(),
      userId,
      signal: controller.signal,
      token: 0,
      lost: false,
      ...(message && { message }),
    };
    const hold: Hold = { claim, controller, released: Promise.withResolvers<void>(), started: false };
    this.#local.set(chatId, hold);
    return hold;
  }

  #drop(chatId: string, hold: Hold): void {
    if (this.#local.get(chatId) === hold) this.#local.delete(chatId);
    hold.released.resolve();
  }

  #stopHere(hold: Hold, by: 'person' | 'deletion'): void {
    if (hold.stoppedBy !== 'deletion') hold.stoppedBy = by;
    hold.controller.abort(by === 'person' ? new RunStopped('stopped by the person', true, true) : new ChatDeleted());
  }

  async #stopWhere(matches: (hold: Hold) => boolean, reason: string): Promise<void> {
    const holds = [...this.#local.values()].filter(matches);
    for (const hold of holds) hold.controller.abort(new RunStopped(reason, false));
    await Promise.all(holds.map((hold) => hold.released.promise));
  }

  /** The run lets go straight to the decision waiting for it: its lease passes on without ever being free. */
  async #handOver(chatId: string, from: Claim, heir: (next: Claim | undefined) => boolean): Promise<void> {
    const next = this.#hold(chatId, from.userId);
    const token = await this.leases.handOver(chatId, from.id, { claimId: next.claim.id, userId: from.userId });
    if (token !== undefined) next.claim.token = token;
    if (token !== undefined && heir(next.claim)) return;
    // Nobody takes it: the decision gave up meanwhile, or the lease was lost.
    if (token === undefined) heir(undefined);
    else await this.leases.release(chatId, next.claim.id);
    this.#drop(chatId, next);
  }

  /** Waits for this instance's run holding the chat to let go, if it is the run that asked for `interruptId`. */
  #succeed(hold: Hold, interruptId: string, deadline: number): Promise<Claim> {
    const current = hold.claim;
    if (current.raised !== interruptId || current.heir) throw new DomainError('conflict', DECISION_BUSY);
    const { promise, resolve, reject } = Promise.withResolvers<Claim>();
    let waiting = true;
    const settle = (next: Claim | undefined): boolean => {
      if (!waiting) return false;
      waiting = false;
      clearTimeout(timer);
      if (next) resolve(next);
      else reject(new DomainError('conflict', DECISION_BUSY));
      return true;
    };
    const timer = setTimeout(() => {
      if (current.heir === settle) current.heir = undefined;
      settle(undefined);
    }, deadline - Date.now());
    current.heir = settle;
    return promise;
  }

  /**
   * Waits until the run holding the chat as `claimId` (on another instance) has let go, woken by the
   * word of it and re-reading the lease now and then; false if it still holds it at `deadline`.
   */
  async #releasedBy(chatId: string, claimId: string, deadline: number): Promise<boolean> {
    const waiters = this.#releaseWaiters.get(chatId) ?? new Set();
    this.#releaseWaiters.set(chatId, waiters);
    try {
      for (;;) {
        const { promise: woken, resolve: wake } = Promise.withResolvers<void>();
        waiters.add(wake);
        const timer = setTimeout(wake, Math.max(0, Math.min(RECHECK_MS, deadline - Date.now())));
        try {
          // Looked at after listening, so a release in between still wakes this wait.
          const { lease } = await this.leases.look(chatId);
          if (lease?.claimId !== claimId) return true;
          if (Date.now() >= deadline) return false;
          await woken;
        } finally {
          clearTimeout(timer);
          waiters.delete(wake);
        }
      }
    } finally {
      if (waiters.size === 0 && this.#releaseWaiters.get(chatId) === waiters) this.#releaseWaiters.delete(chatId);
    }
  }
}

/** Waits for `promise`, `ms` at most; the timer does not outlive the wait. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A run holds the chat: waiting for a slot, settling after asking for this very approval, or going. */
function heldState(run: { position?: number; message?: WaitingMessage; raised?: string }, fromCheckpoint: RunState): RunState {
  if (run.position !== undefined) return queuedState(run, run.position);
  // Only a run settling after asking for this very approval leaves it pending; any other run is going.
  const settling = fromCheckpoint.status === 'awaiting_approval' && run.raised === fromCheckpoint.interruptId;
  return settling ? fromCheckpoint : { status: 'running' };
}
