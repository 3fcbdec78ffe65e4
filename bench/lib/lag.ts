/**
 * Event-loop lag: a timer asks to run every 10 ms and records how late it ran. Anything that holds
 * the loop (JSON work, a synchronous SQLite wait) shows up as lateness. Bun has no
 * monitorEventLoopDelay, so this is the portable way.
 */
const PERIOD_MS = 10;
/** Bounded: a sampler left running for an hour keeps at most this many samples. */
const MAX_SAMPLES = 200_000;

export class LagSampler {
  readonly #samples: number[] = [];
  #timer: ReturnType<typeof setTimeout>;
  #expected = performance.now() + PERIOD_MS;

  constructor() {
    this.#timer = setTimeout(this.#tick, PERIOD_MS);
  }

  #tick = () => {
    const now = performance.now();
    if (this.#samples.length < MAX_SAMPLES) this.#samples.push(Math.max(0, now - this.#expected));
    this.#expected = now + PERIOD_MS;
    this.#timer = setTimeout(this.#tick, PERIOD_MS);
  };

  /** Stops sampling; returns how late each tick ran, in ms. */
  stop(): number[] {
    clearTimeout(this.#timer);
    return this.#samples;
  }
}
