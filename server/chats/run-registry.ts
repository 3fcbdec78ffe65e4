/**
 * Which chats have a run in flight in this process: one at a time per chat, answered at once
 * (the agent's thread lock serialises the work itself; this refuses a second run up front).
 *
 * The approval event reaches the person before the run that raised it has let go of the chat
 * (it still stores its checkpoint), so a quick decision on that approval waits for the run
 * (SETTLE_WAIT_MS at most) and then takes the chat over directly. Any other decision while a run
 * holds the chat (a second one on the same approval, or one during a run that asked for nothing)
 * is refused as a conflict.
 */
import { DomainError } from '../domain-error.ts';

const DECISION_BUSY = 'This chat is busy; your decision was not applied. Reload to see where it stands.';
/** How long a decision waits for the run that asked for it to settle. */
const SETTLE_WAIT_MS = 10_000;

/** A run's hold on its chat. */
export interface Claim {
  /** The approval this run has asked for, once it has. */
  raised?: string;
  /** A decision on `raised`, waiting to take the chat over the moment this run lets go. */
  heir?: (next: Claim) => void;
}

export class RunRegistry {
  readonly #active = new Map<string, Claim>();

  isRunning(chatId: string): boolean {
    return this.#active.has(chatId);
  }

  /** Holds the chat for a new run, or refuses with `busy`. */
  claim(chatId: string, busy: string): Claim {
    if (this.#active.has(chatId)) throw new DomainError('conflict', busy);
    const claim: Claim = {};
    this.#active.set(chatId, claim);
    return claim;
  }

  /** A decision: takes the chat now, or after the run that asked for `interruptId` lets go. */
  async claimForDecision(chatId: string, interruptId: string): Promise<Claim> {
    return this.#active.has(chatId) ? this.#succeed(chatId, interruptId) : this.claim(chatId, DECISION_BUSY);
  }

  /** Hands the chat to the decision waiting for it, or frees it. */
  release(chatId: string, claim: Claim): void {
    if (!claim.heir) {
      this.#active.delete(chatId);
      return;
    }
    const next: Claim = {};
    this.#active.set(chatId, next);
    claim.heir(next);
  }

  /** Waits for the run holding the chat to let go, if it is the run that asked for `interruptId`. */
  #succeed(chatId: string, interruptId: string): Promise<Claim> {
    const current = this.#active.get(chatId);
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
