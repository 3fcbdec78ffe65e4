/**
 * The server side of a bench read as one: a single server process (embedded), or the instances of
 * one deployment (cluster mode), each in its own process. CPU is the sum over the instances, lag
 * is the worse instance's, and people are spread over the instances: person i sends through
 * instance i mod n, and every other round of n people follows their chat on the next instance, so
 * with two instances half of the events cross to another instance.
 */
import type { LagSummary } from './lag.ts';
import type { Placement } from './load-child.ts';
import type { SignedInUser } from './server-child.ts';
import type { ServerProcess } from './server-process.ts';

export interface CpuReading {
  user: number;
  system: number;
  /** clock(), ms, when the process read it. */
  at: number;
}

/** Cumulative CPU µs of each service the instances share (PostgreSQL, Redis), by name. */
export type ServiceCpu = Record<string, number>;

export interface ServerGroup extends AsyncDisposable {
  readonly instances: readonly ServerProcess[];
  placement(index: number): Placement;
  /** Signs people in directly (sessions through the stores, shared by every instance). */
  users(count: number, prefix: string): Promise<SignedInUser[]>;
  /** The instances' CPU together; `at` is the mean of their reading times. */
  cpu(): Promise<CpuReading>;
  lagStart(): Promise<void>;
  /** The worse instance's event-loop lag since lagStart. */
  lagStop(): Promise<LagSummary>;
  /** Empty for an embedded server, which shares nothing. */
  services(): Promise<ServiceCpu>;
  stop(): Promise<void>;
}

export interface GroupOptions {
  /** The Origin people's clients send; each instance's own URL when absent. */
  origin?: string;
  services?: () => Promise<ServiceCpu>;
  /** Runs after the instances stopped: removes what they shared. */
  cleanUp?: () => Promise<void>;
}

export function serverGroup(instances: readonly ServerProcess[], options: GroupOptions = {}): ServerGroup {
  const each = <T>(work: (instance: ServerProcess) => Promise<T>) => Promise.all(instances.map(work));
  const stop = async () => {
    try {
      await each((instance) => instance.stop());
    } finally {
      await options.cleanUp?.();
    }
  };
  return {
    instances,
    placement(index) {
      const n = instances.length;
      const send = instances[index % n]!.url;
      const follow = Math.floor(index / n) % 2 === 1 ? instances[(index + 1) % n]!.url : send;
      return { send, follow, origin: options.origin ?? send };
    },
    users: (count, prefix) => instances[0]!.call({ type: 'users', count, prefix }),
    async cpu() {
      const readings = await each((instance) => instance.call({ type: 'cpu' }));
      const sum = (key: 'user' | 'system' | 'at') => readings.reduce((total, r) => total + r[key], 0);
      return { user: sum('user'), system: sum('system'), at: sum('at') / readings.length };
    },
    async lagStart() {
      await each((instance) => instance.call({ type: 'lag-start' }));
    },
    async lagStop() {
      const summaries = await each((instance) => instance.call({ type: 'lag-stop' }));
      return summaries.reduce((worse, s) => (s.p99 > worse.p99 ? s : worse));
    },
    services: options.services ?? (async () => ({})),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
