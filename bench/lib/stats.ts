/** Small statistics for benchmark samples: percentiles by nearest rank, and timing helpers. */

/**
 * Milliseconds since the epoch, sub-millisecond, the same in every process on the machine (Bun's
 * timeOrigin is read from the wall clock at process start), so a token's emission in the stand-in's
 * process and its arrival in a load generator's can be subtracted.
 */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * The smallest value whose weight, with the weights of all smaller values, reaches p% of the total
 * weight: a percentile over what the weights measure (e.g. time) instead of over samples.
 */
export function weightedPercentile(values: readonly number[], weights: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((a, b) => a + b, 0);
  let covered = 0;
  for (const i of order) {
    covered += weights[i]!;
    if (covered >= (p / 100) * total) return values[i]!;
  }
  return values[order.at(-1)!]!;
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarise(samples: readonly number[]): Summary {
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), max: percentile(samples, 100) };
}

/** Milliseconds since `start` (a performance.now() reading). */
export function since(start: number): number {
  return performance.now() - start;
}

/** Runs `work` over `items` with at most `limit` at a time; keeps the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Rejects when `promise` has not settled within `ms`; every wait in the harness is bounded. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
