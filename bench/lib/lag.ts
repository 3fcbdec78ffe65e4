/**
 * Event-loop lag: a timer asks to run every 10 ms and records how late it ran. Anything that holds
 * the loop (JSON work, a synchronous SQLite wait) shows up as lateness. Bun has no
 * monitorEventLoopDelay, so this is the portable way.
 *
 * Percentiles are over time, not over samples: the lag of the stretch between two ticks is the later
 * tick's lateness L, and that stretch lasts as long as it really did (10 ms + L). The p99 is the
 * smallest L such that stretches with lag ≤ L cover 99% of the sampled time. So one stall of 3 s in a
 * 10 s window counts as 3 s of lag (30% of the time), where a per-sample p99 would count it once
 * among ~700 timely samples and miss it.
 */
import { weightedPercentile } from './stats.ts';

const PERIOD_MS = 10;
/** Bounded: a sampler left running for an hour keeps at most this many samples. */
const MAX_SAMPLES = 200_000;

export interface LagSummary {
  /** Time-weighted, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Ticks sampled. */
  n: number;
  /** The time the samples cover, ms. */
  coveredMs: number;
}

export class LagSampler {
  readonly #lags: number[] = [];
  /** How long each stretch lasted, ms: the weight of its lag. */
  readonly #stretches: number[] = [];
  #timer: ReturnType<typeof setTimeout>;
  #previous = performance.now();

  constructor() {
    this.#timer = setTimeout(this.#tick, PERIOD_MS);
  }

  #tick = () => {
    const now = performance.now();
    if (this.#lags.length < MAX_SAMPLES) {
      this.#lags.push(Math.max(0, now - this.#previous - PERIOD_MS));
      this.#stretches.push(now - this.#previous);
    }
    this.#previous = now;
    this.#timer = setTimeout(this.#tick, PERIOD_MS);
  };

  /** Stops sampling; the stretch still open counts too, so a stall that is going on now is not missed. */
  stop(): LagSummary {
    clearTimeout(this.#timer);
    this.#tick();
    clearTimeout(this.#timer);
    const lags = this.#lags;
    const stretches = this.#stretches;
    return {
      p50: weightedPercentile(lags, stretches, 50),
      p99: weightedPercentile(lags, stretches, 99),
      max: lags.reduce((a, b) => Math.max(a, b), 0),
      n: lags.length,
      coveredMs: stretches.reduce((a, b) => a + b, 0),
    };
  }
}
