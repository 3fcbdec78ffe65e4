/**
 * The one owner of run state in this process: which chats have a run waiting for a turn-start
 * slot or going (one at a time per chat, answered at once; the agent's thread lock serialises the
 * work itself), the signal that stops each run, and how each chat's last run ended (failed because, stopped by the person).
 * The agent's history reads only the checkpoint; `overlay` adds what only this process knows.
 *
 * The approval event reaches the person before the run that raised it has let go of the chat
 * (it still stores its checkpoint), so a quick decision on that approval waits for the run
 * (SETTLE_WAIT_MS at most) and then takes the chat over directly. Any other decision while a run
 * holds the chat (a second one on the same approval, or one during a run that asked for nothing)
 * is refused as a conflict.
 */
import type { RunState, WaitingMessage } from '../../shared/chat-events.ts';
import { CUT_OFF_REASON } from '../agent/llm-handler.ts';
import { DomainError } from '../domain-error.ts';
import type { Ticket } from './admission.ts';

const DECISION_BUSY = 'This chat is busy; your decision was not applied. Reload to see where it stands.';
/** How long a decision waits for the run that asked for it to settle. */
const SETTLE_WAIT_MS = 10_000;

/** A run's hold on its chat. */
export interface Claim {
  readonly userId: string;
  /** A send's message: its chat's watchers see it with the run while the run waits for a slot. */
  readonly message?: WaitingMessage;
  /** Stops the run (`stop`, `stopRunsOf`, `stopAll`); the run is handed it. */
  readonly signal: AbortSignal;
  /** The approval this run has asked for, once it has. */
  raised?: string;
  /** A decision on `raised`, waiting to take the chat over the moment this run lets go. */
  heir?: (next: Claim) => void;
  /** The run's place in the turn-start queue, then its slot. */
  ticket?: Ticket;
}

/** Why a run's signal was aborted; `byPerson` when the person pressed Stop or deleted the chat. */
export class RunStopped extends Error {
  constructor(
    message: string,
    readonly byPerson: boolean,
  ) {
    super(message);
    this.name = 'RunStopped';
  }
}

interface Hold {
  claim: Claim;
  controller: AbortController;
  /** Resolves when the run lets go of the chat. */
  released: PromiseWithResolvers<void>;
  /** It left the turn-start queue and began; until then a stop leaves the chat as it was. */
  started: boolean;
}

/** A run waiting for a slot, `position` runs from starting, with its message if it is a send. */
export function queuedState(claim: Claim, position: number): RunState {
  return claim.message ? { status: 'queued', position, message: claim.message } : { status: 'queued', position };
}

/** How a chat's last run ended, when that is more than its checkpoint says. */
type Ending = { kind: 'failed'; reason: string } | { kind: 'stopped' };

export class RunRegistry {
  readonly #active = new Map<string, Hold>();
  /** Until the chat's next run starts. */
  readonly #endings = new Map<string, Ending>();

  /** Whether the person has a run going on any chat (their handlers are not idle). */
  hasRunOf(userId: string): boolean {
    return [...this.#active.values()].some((hold) => hold.claim.userId === userId);
  }

  /** Holds the chat for a new run of the person's (a send names its message), or refuses with `busy`. */
  claim(chatId: string, userId: string, busy: string, message?: WaitingMessage): Claim {
    if (this.#active.has(chatId)) throw new DomainError('conflict', busy);
    return this.#hold(chatId, userId, message);
  }

  /** A decision: takes the chat now, or after the run that asked for `interruptId` lets go. */
  async claimForDecision(chatId: string, userId: string, interruptId: string): Promise<Claim> {
    return this.#active.has(chatId) ? this.#succeed(chatId, interruptId) : this.claim(chatId, userId, DECISION_BUSY);
  }

  /** The run leaves the turn-start queue and begins: how the chat's last run ended stops applying. */
  started(chatId: string, claim: Claim): void {
    const hold = this.#active.get(chatId);
    if (hold?.claim !== claim) return;
    hold.started = true;
    this.#endings.delete(chatId);
  }

  /** The run's end, as it returned it: a failure's reason is kept until the chat's next run. */
  ended(chatId: string, claim: Claim, state: RunState): void {
    if (this.#active.get(chatId)?.claim !== claim) return;
    if (state.status === 'failed') this.#endings.set(chatId, { kind: 'failed', reason: state.reason });
  }

  /** Hands the chat to the decision waiting for it, or frees it. */
  release(chatId: string, claim: Claim): void {
    const hold = this.#active.get(chatId);
    if (hold?.claim !== claim) return;
    this.#active.delete(chatId);
    hold.released.resolve();
    if (claim.heir) claim.heir(this.#hold(chatId, claim.userId));
  }

  /** The person stops the chat's run, if one is going; leaving the answer unfinished was their choice. */
  stop(chatId: string): boolean {
    const hold = this.#active.get(chatId);
    if (!hold) return false;
    if (hold.started) this.#endings.set(chatId, { kind: 'stopped' });
    hold.controller.abort(new RunStopped('stopped by the person', true));
    return true;
  }

  /** Stops the person's runs (their handlers close: idle, disabled, shutdown) and waits until they have let go. */
  async stopRunsOf(userId: string): Promise<void> {
    await this.#stopWhere((hold) => hold.claim.userId === userId, 'the person’s handlers were closed');
  }

  /** Stops every run (shutdown) and waits until they have let go; their checkpoints make them resumable. */
  async stopAll(): Promise<void> {
    await this.#stopWhere(() => true, 'the server is shutting down');
  }

  /** The chat is gone: nothing about its runs is worth keeping. */
  forget(chatId: string): void {
    this.#endings.delete(chatId);
  }

  /** What the chat's checkpoint says of its run (`fromCheckpoint`), with what only this process knows laid over it. */
  overlay(chatId: string, fromCheckpoint: RunState): RunState {
    const hold = this.#active.get(chatId);
    if (hold) {
      const position = hold.claim.ticket?.position();
      if (position !== undefined) return queuedState(hold.claim, position);
      // Only a run settling after asking for this very approval leaves it pending; any other run is going.
      const settling = fromCheckpoint.status === 'awaiting_approval' && hold.claim.raised === fromCheckpoint.interruptId;
      return settling ? fromCheckpoint : { status: 'running' };
    }
    if (fromCheckpoint.status === 'awaiting_approval') return fromCheckpoint;
    const ending = this.#endings.get(chatId);
    if (ending?.kind === 'failed') return { status: 'failed', reason: ending.reason };
    // The person stopped it mid-answer: a step left to run is their choice, not a server that stopped.
    if (ending?.kind === 'stopped' && fromCheckpoint.status === 'failed' && fromCheckpoint.reason === CUT_OFF_REASON) {
      return { status: 'idle' };
    }
    return fromCheckpoint;
  }

  #hold(chatId: string, userId: string, message?: WaitingMessage): Claim {
    const controller = new AbortController();
    const claim: Claim = { userId, signal: controller.signal, ...(message && { message }) };
    this.#active.set(chatId, { claim, controller, released: Promise.withResolvers<void>(), started: false });
    return claim;
  }

  async #stopWhere(matches: (hold: Hold) => boolean, reason: string): Promise<void> {
    const holds = [...this.#active.values()].filter(matches);
    for (const hold of holds) hold.controller.abort(new RunStopped(reason, false));
    await Promise.all(holds.map((hold) => hold.released.promise));
  }

  /** Waits for the run holding the chat to let go, if it is the run that asked for `interruptId`. */
  #succeed(chatId: string, interruptId: string): Promise<Claim> {
    const current = this.#active.get(chatId)?.claim;
    if (!current || current.raised !== interruptId || current.heir) throw new DomainError('conflict', DECISION_BUSY);
    const { promise, resolve, reject } = Promise.withResolvers<Claim>();
    const timer = setTimeout(() => {
      current.heir = undefined;
      reject(new DomainError('conflict', DECISION_BUSY));
    }, SETTLE_WAIT_MS);
    current.heir = (next) => {
      clearTimeout(timer);
      resolve(next);
    };
    return promise;
  }
}
