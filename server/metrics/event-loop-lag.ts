/**
 * `countersign_event_loop_lag_seconds`: the longest the event loop was late between two scrapes,
 * measured by a timer of our own that notes how late each tick comes. Not perf_hooks'
 * monitorEventLoopDelay: Bun keeps one histogram for the whole process behind every monitor, so
 * prom-client's scrape (which resets its monitor) clears everyone's, and servers in one process
 * would clear each other's. The longest, not an average: a stall is what delays every open stream.
 */
import { Gauge, type Registry } from 'prom-client';

const TICK_MS = 10;

/** Starts measuring; the returned function stops it. */
export function measureEventLoopLag(registry: Registry): () => void {
  let expected = performance.now() + TICK_MS;
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - expected);
    expected = now + TICK_MS;
  }, TICK_MS);
  // Measuring must not keep the process alive.
  timer.unref();
  new Gauge({
    name: 'countersign_event_loop_lag_seconds',
    help: 'The longest the event loop was late since the previous scrape.',
    registers: [registry],
    collect() {
      this.set(longest / 1000);
      longest = 0;
    },
  });
  return () => clearInterval(timer);
}
