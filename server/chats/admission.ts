/**
 * Admission for turn starts. Starting a turn is milliseconds of CPU that nothing interrupts
 * (handler, history, graph set-up, the model request), so a burst of a thousand sends started at
 * once holds the event loop for seconds and answers already streaming stall. Runs start through
 * this queue instead: a few per event-loop turn, so streaming work runs between them, and at most
 * `concurrency` in their start phase at once (from admission until the run's first output or its
 * end). How many per turn follows the loop: one more while turns stay under TURN_TARGET_MS, half
 * as many once one is longer. Waiting runs queue per person and people are served in turn, so one
 * person with fifty chats does not hold up fifty others.
 *
 * A waiting run hears how many runs will start before it when it joins, and as the queue moves,
 * at most every POSITION_REFRESH_MS or MS_PER_WAITING per waiting run if that is longer: a long
 * queue moves at every start, and telling every waiting run each time would cost more than the
 * starts. Each telling is an event to the chat's watchers, so they go out TOLD_PER_TURN per
 * event-loop turn: telling a thousand at once would itself hold the loop.
 */
import { onNextTurn } from '../next-turn.ts';

/** The event-loop turn the pacing aims for: starts add at most this much lag to streaming answers. */
const TURN_TARGET_MS = 15;
const POSITION_REFRESH_MS = 250;
const MS_PER_WAITING = 2;
const TOLD_PER_TURN = 32;

export interface TicketOptions {
  /** Aborting it while the run waits takes it out of the queue; `admitted` rejects with the reason. */
  signal: AbortSignal;
  /** The runs that will start before this one, when it joins the queue and as that changes. */
  onPosition: (ahead: number) => void;
}

/** A run's place in the queue, then its slot. */
export interface Ticket {
  /** Resolves when the run may start. */
  readonly admitted: Promise<void>;
  /** How many runs will start before it, while it waits; undefined once admitted or gone. */
  position(): number | undefined;
  /** The run is past its start (first output, its end, or it gave up waiting): its slot or place goes to the next. */
  done(): void;
}

interface Waiting {
  readonly personId: string;
  readonly admit: () => void;
  readonly onPosition: (ahead: number) => void;
  /** The position it was last told; -1 before the first. */
  told: number;
  /** Admitted, or out of the queue. */
  left: boolean;
}

export class TurnStartQueue {
  /** Each person's waiting runs, oldest first; people in the order they are served next. */
  readonly #queues = new Map<string, Waiting[]>();
  #starting = 0;
  #waiting = 0;
  /** Runs admitted in this event-loop turn; cleared by the pump in the next. */
  #admittedThisTurn = 0;
  /** How many runs may start in one event-loop turn. */
  #perTurn = 1;
  #pumpScheduled = false;
  /** When the pump last ran, while it keeps running turn after turn. */
  #lastPump: number | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #lastRefresh = -Infinity;
  /** Waiting runs to tell their position, a turn's share at a time. */
  #toTell: Waiting[] = [];
  #tellScheduled = false;

  constructor(private readonly concurrency: number) {}

  /** Runs waiting for a start slot now (operators' gauge). */
  get waitingCount(): number {
    return this.#waiting;
  }

  /** Queues a run of the person's, or admits it at once when nothing waits and a slot is free. */
  enter(personId: string, { signal, onPosition }: TicketOptions): Ticket {
    const admitted = Promise.withResolvers<void>();
    let phase: 'waiting' | 'starting' | 'over' = 'waiting';
    const leave = () => {
      if (phase !== 'waiting') return;
      phase = 'over';
      this.#remove(waiting);
      admitted.reject(signal.reason);
    };
    const waiting: Waiting = {
      personId,
      onPosition,
      told: -1,
      left: false,
      admit: () => {
        phase = 'starting';
        signal.removeEventListener('abort', leave);
        this.#starting++;
        this.#admittedThisTurn++;
        this.#schedulePump();
        admitted.resolve();
      },
    };
    signal.addEventListener('abort', leave, { once: true });
    if (signal.aborted) {
      leave();
    } else if (this.#queues.size === 0 && this.#hasRoom()) {
      waiting.admit();
    } else {
      const queue = this.#queues.get(personId);
      if (queue) queue.push(waiting);
      else this.#queues.set(personId, [waiting]);
      this.#waiting++;
      this.#tell([waiting]);
      // A new person's run goes ahead of others' later runs.
      this.#scheduleRefresh();
      this.#schedulePump();
    }
    return {
      admitted: admitted.promise,
      position: () => (phase === 'waiting' ? this.#positionOf(waiting) : undefined),
      done: () => {
        if (phase === 'waiting') this.#remove(waiting);
        if (phase === 'starting') {
          this.#starting--;
          this.#schedulePump();
        }
        phase = 'over';
      },
    };
  }

  #hasRoom(): boolean {
    return this.#starting < this.concurrency && this.#admittedThisTurn < this.#perTurn;
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    onNextTurn(this.#pump);
  }

  #pump = () => {
    this.#pumpScheduled = false;
    const now = performance.now();
    // After an idle spell it starts again from one: that turn says nothing of the loop's load.
    if (this.#lastPump === undefined) this.#perTurn = 1;
    else if (now - this.#lastPump <= TURN_TARGET_MS) this.#perTurn = Math.min(this.#perTurn + 1, this.concurrency);
    else this.#perTurn = Math.ceil(this.#perTurn / 2);
    this.#admittedThisTurn = 0;
    while (this.#hasRoom()) {
      const next = this.#next();
      if (!next) break;
      next.admit();
    }
    this.#lastPump = this.#pumpScheduled ? now : undefined;
  };

  /** Takes the first waiting run of the person whose turn it is; they go to the back of the line. */
  #next(): Waiting | undefined {
    for (const [personId, queue] of this.#queues) {
      const next = queue.shift()!;
      next.left = true;
      this.#waiting--;
      this.#queues.delete(personId);
      if (queue.length) this.#queues.set(personId, queue);
      this.#scheduleRefresh();
      return next;
    }
    return undefined;
  }

  #remove(waiting: Waiting): void {
    const queue = this.#queues.get(waiting.personId);
    if (!queue) return;
    const at = queue.indexOf(waiting);
    if (at < 0) return;
    queue.splice(at, 1);
    waiting.left = true;
    this.#waiting--;
    if (queue.length === 0) this.#queues.delete(waiting.personId);
    this.#scheduleRefresh();
  }

  /**
   * Runs start in rounds, each person's first waiting run, then each one's second, and so on, in
   * the order people are served: the i-th run of a person has their i earlier runs ahead of it,
   * and up to i runs of each other person (i + 1 for people served before them).
   */
  #positionOf(waiting: Waiting): number {
    const index = this.#queues.get(waiting.personId)?.indexOf(waiting) ?? -1;
    let ahead = index;
    let servedBefore = true;
    for (const [personId, queue] of this.#queues) {
      if (personId === waiting.personId) servedBefore = false;
      else ahead += Math.min(queue.length, servedBefore ? index + 1 : index);
    }
    return ahead;
  }

  #scheduleRefresh(): void {
    if (this.#refreshTimer) return;
    const interval = Math.max(POSITION_REFRESH_MS, this.#waiting * MS_PER_WAITING);
    const wait = Math.max(0, this.#lastRefresh + interval - performance.now());
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      // The last round of telling is still going out: this one waits its turn.
      if (this.#toTell.length) return this.#scheduleRefresh();
      this.#lastRefresh = performance.now();
      this.#tell([...this.#queues.values()].flat());
    }, wait);
  }

  #tell(waiting: Waiting[]): void {
    this.#toTell.push(...waiting);
    if (this.#tellScheduled) return;
    this.#tellScheduled = true;
    onNextTurn(this.#tellSome);
  }

  /** Tells a turn's share of the runs due a telling whose position changed since they were last told. */
  #tellSome = () => {
    this.#tellScheduled = false;
    let told = 0;
    let seen = 0;
    while (told < TOLD_PER_TURN && seen < this.#toTell.length) {
      const waiting = this.#toTell[seen++]!;
      if (waiting.left) continue;
      const ahead = this.#positionOf(waiting);
      if (ahead === waiting.told) continue;
      waiting.told = ahead;
      waiting.onPosition(ahead);
      told++;
    }
    this.#toTell.splice(0, seen);
    if (this.#toTell.length && !this.#tellScheduled) {
      this.#tellScheduled = true;
      onNextTurn(this.#tellSome);
    }
  };
}
