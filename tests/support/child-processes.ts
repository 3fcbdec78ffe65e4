/**
 * Every process a test starts (servers, a provider, a load balancer) is killed after the last test
 * of the run, even when a test timed out before its own teardown: otherwise a failed cluster test
 * leaves instances holding PostgreSQL connections until the machine runs out of them. bun test
 * (1.4.5) emits no 'exit' event, so this is an afterAll of the run, registered by preloading this
 * file (bunfig.toml); tests reach the same module when they import it.
 */
import { afterAll } from 'bun:test';

const live = new Set<Bun.Subprocess>();

/** Tracks a child until it exits; returns it. */
export function trackChild<T extends Bun.Subprocess>(proc: T): T {
  live.add(proc);
  void proc.exited.then(() => live.delete(proc));
  return proc;
}

afterAll(() => {
  for (const proc of live) proc.kill('SIGKILL');
});
