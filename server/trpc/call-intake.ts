/**
 * Incoming calls, handed to tRPC at a pace the event loop can bear. Bun delivers every WebSocket
 * frame and HTTP request that arrived together in one event-loop turn, and each call's work up to
 * its first real wait (tRPC's parsing and middleware, the session, the rate limit, the chat lookup
 * in SQLite, the run's claim) runs before any timer or other socket gets a turn: a thousand sends
 * arriving at once held the loop for hundreds of milliseconds before any of them had started.
 *
 * Calls wait here instead, in one lane per connection (a WebSocket, or the caller behind HTTP
 * requests). A drain step, run once per loop turn while calls wait, hands them over with the lanes
 * taking turns, until BUDGET_MS has been spent, then yields to the loop. Each call's promise
 * reactions run inside the step (drainMicrotasks), so the budget counts the call's whole work up to
 * its first real wait, not just its first synchronous slice. A lane's calls keep their order; a lane
 * holding many delays only itself; past LANE_LIMIT_CHARS waiting it refuses more.
 */
import { drainMicrotasks } from 'bun:jsc';
import { onNextTurn } from '../next-turn.ts';

/** The most one drain step spends before the loop gets a turn (timers, other sockets, streaming answers). */
const BUDGET_MS = 4;
/** Characters of calls one lane may hold waiting; a call reaching an empty lane is always taken, however large. */
const LANE_LIMIT_CHARS = 4 * 1024 * 1024;

interface Waiting {
  readonly run: () => void;
  readonly chars: number;
}

interface Lane {
  /** Oldest first. */
  readonly waiting: Waiting[];
  chars: number;
}

export class CallIntake {
  /** Lanes with calls waiting, in the order they are served next (a Map keeps insertion order). */
  readonly #lanes = new Map<unknown, Lane>();
  #scheduled = false;
  /** When the first call arrived at an idle intake: reading a burst of calls takes time of its own. */
  #arrivedAt: number | undefined;

  /** `onError` hears a call that threw, so the calls behind it still run. */
  constructor(private readonly onError: (error: unknown) => void) {}

  /**
   * Queues `run` behind the lane's waiting calls; `chars` is the call's size, counted against the
   * lane's limit. Returns false, and queues nothing, when the lane is full.
   */
  enqueue(laneKey: unknown, run: () => void, chars: number): boolean {
    let lane = this.#lanes.get(laneKey);
    if (!lane) {
      lane = { waiting: [], chars: 0 };
      this.#lanes.set(laneKey, lane);
    } else if (lane.chars + chars > LANE_LIMIT_CHARS) {
      return false;
    }
    lane.waiting.push({ run, chars });
    lane.chars += chars;
    if (!this.#scheduled) {
      this.#arrivedAt = performance.now();
      this.#schedule();
    }
    return true;
  }

  /** Forgets the lane's waiting calls: its connection closed, nobody would hear their answers. */
  drop(laneKey: unknown): void {
    this.#lanes.delete(laneKey);
  }

  #schedule(): void {
    this.#scheduled = true;
    onNextTurn(this.#drain);
  }

  #drain = (): void => {
    this.#scheduled = false;
    const began = performance.now();
    const arrivedAt = this.#arrivedAt;
    this.#arrivedAt = undefined;
    // The calls of a burst were read in this same loop turn, just before this step: when reading
    // them took the budget already, timers and other sockets get their turn before any is handed over.
    if (arrivedAt !== undefined && began - arrivedAt >= BUDGET_MS) {
      this.#schedule();
      return;
    }
    const until = began + BUDGET_MS;
    // The first lane is taken afresh each round rather than through one iterator over a Map the
    // round itself changes (and a call's close may change): the lanes take turns either way.
    while (this.#lanes.size > 0) {
      const [laneKey, lane] = this.#lanes.entries().next().value!;
      // Out and back in (if it still has calls) puts the lane last: the others go first.
      this.#lanes.delete(laneKey);
      const call = lane.waiting.shift()!;
      lane.chars -= call.chars;
      if (lane.waiting.length > 0) this.#lanes.set(laneKey, lane);
      try {
        call.run();
        // The call's work continues in promise reactions; running them now counts them in this step's budget.
        drainMicrotasks();
      } catch (error) {
        this.onError(error);
      }
      if (performance.now() >= until) break;
    }
    if (this.#lanes.size > 0) this.#schedule();
  };
}
