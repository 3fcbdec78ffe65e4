/**
 * Cluster mode against the embedded server: the same crowd (lib/streaming-crowd.ts: people on the
 * typed client over WebSocket, in load generator processes; the LLM stand-in in its own process)
 * on the embedded server, on 1 instance on PostgreSQL + Redis, and on 2 instances. With two, person
 * i sends through instance i mod 2 and half of the people follow their chat on the other instance,
 * so their events cross Redis (lib/server-group.ts). Instances are reached directly, with no load
 * balancer (lib/cluster-instances.ts).
 *
 * Each round every person sends at once; their first tokens come at once and the rest wait, so
 * the burst is turn starts only: server CPU per turn start is the instances' CPU from the sends to
 * the last first token, over the sends. Then every answer streams at 20 tokens/s through a steady
 * window: server CPU per token is the instances' CPU over the tokens delivered in it, and added
 * latency is stand-in sent it → client received it. PostgreSQL's (the backends serving this run)
 * and Redis's (INFO CPU, the whole server) own CPU over the same stretches are shown apart
 * (lib/service-cpu.ts), and theirs over whole turns too (send → run ended), which is where
 * PostgreSQL works: streaming itself reaches only Redis. Figures are medians of rounds 2..ROUNDS (round 1 is each chat's first turn,
 * which also names it). Then the per-event cost of the event hubs (event-hub.ts).
 *
 *   bun bench/cluster.ts        (BENCH_CLUSTER_PEOPLE=300 BENCH_CLUSTER_ROUNDS=4)
 */
import { eventHub } from './event-hub.ts';
import { clusterInstances } from './lib/cluster-instances.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import type { ServiceCpu } from './lib/server-group.ts';
import { percentile } from './lib/stats.ts';
import { cpuPercent, cpuUs, startCrowd, type Round, type StartServers } from './lib/streaming-crowd.ts';

const COMMAND = 'bun bench/cluster.ts';
const PEOPLE = Number(process.env.BENCH_CLUSTER_PEOPLE ?? 300);
const ROUNDS = Number(process.env.BENCH_CLUSTER_ROUNDS ?? 4);
/** One token every 50 ms: 20 tokens/s per person, as bench/concurrency.ts. */
const INTERVAL_MS = 50;
const WINDOW_MS = 3000;
const LOAD_PROCESSES = 2;

const MODES: { label: string; start?: StartServers; instances: number }[] = [
  { label: 'embedded', instances: 1 },
  { label: '1 instance', start: clusterInstances(1), instances: 1 },
  { label: '2 instances', start: clusterInstances(2), instances: 2 },
];

/** Each shared service's CPU between two readings, µs. */
function serviceUs([start, end]: [ServiceCpu, ServiceCpu]): ServiceCpu {
  return Object.fromEntries(Object.keys(end).map((name) => [name, end[name]! - (start[name] ?? 0)]));
}

/** The median over the measured rounds of each service's CPU per unit of work, in `unit`, as "a / b". */
function servicesPer(
  rounds: readonly Round[],
  stretch: (r: Round) => [ServiceCpu, ServiceCpu],
  units: (r: Round) => number,
  unit: 'µs' | 'ms',
) {
  const [scale, digits] = unit === 'ms' ? [1000, 2] : [1, 1];
  const names = Object.keys(stretch(rounds[0]!)[1]);
  return {
    names: names.join(' / '),
    values: names
      .map((name) =>
        percentile(
          rounds.map((r) => serviceUs(stretch(r))[name]! / units(r) / scale),
          50,
        ).toFixed(digits),
      )
      .join(' / '),
  };
}

async function mode(label: string, instances: number, start: StartServers | undefined, out: ReturnType<typeof figures>): Promise<void> {
  await using crowd = await startCrowd(PEOPLE, LOAD_PROCESSES, INTERVAL_MS, WINDOW_MS, start);
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round = await crowd.round({ from: 0, to: PEOPLE });
    rounds.push(round);
    console.error(
      `cluster: ${label}, round ${i + 1}: ${round.burst.answered} of ${round.burst.sent} answered, ${round.stats.deliveredPerSec.toFixed(0)} tokens/s delivered`,
    );
  }
  const measured = rounds.slice(1);
  const median = (pick: (r: Round) => number) => percentile(measured.map(pick), 50);
  const servers = instances === 1 ? 'the server process' : `the ${instances} instances together`;
  const cpuNote = `${servers}, user + system; median of rounds 2..${ROUNDS}`;

  out.add(
    `${label}: server CPU per token`,
    median((r) => cpuUs(r.window.server) / r.stats.delivered),
    'µs',
    `${cpuNote}; ${PEOPLE} people streaming at 20 tokens/s each, steady ${WINDOW_MS / 1000} s window; server ${median((r) => cpuPercent(r.window.server)).toFixed(0)}% of a core`,
  );
  out.add(
    `${label}: server CPU per turn start`,
    median((r) => cpuUs(r.burst.server) / 1000 / r.burst.sent),
    'ms',
    `${cpuNote}; ${PEOPLE} sends at once, send → last first token`,
  );
  out.add(
    `${label}: added latency per token`,
    `${median((r) => r.stats.latencyP50).toFixed(1)} / ${median((r) => r.stats.latencyP99).toFixed(1)}`,
    'ms p50 / p99',
    `stand-in sent it → client received it; median of rounds; delivered ${median((r) => r.stats.deliveredPerSec).toFixed(0)} of ${PEOPLE * (1000 / INTERVAL_MS)} tokens/s offered`,
  );
  if (start) {
    const perToken = servicesPer(
      measured,
      (r) => r.window.services,
      (r) => r.stats.delivered,
      'µs',
    );
    out.add(
      `${label}: ${perToken.names} CPU per token`,
      perToken.values,
      'µs',
      "PostgreSQL: the backends serving this run's connections (/proc); Redis: INFO CPU of the whole server",
    );
    const perStart = servicesPer(
      measured,
      (r) => r.burst.services,
      (r) => r.burst.sent,
      'ms',
    );
    out.add(`${label}: ${perStart.names} CPU per turn start`, perStart.values, 'ms', 'same stretch as the server figure');
    const perTurn = servicesPer(
      measured,
      (r) => [r.burst.services[0], r.endedServices],
      (r) => r.burst.sent,
      'ms',
    );
    out.add(
      `${label}: ${perTurn.names} CPU per whole turn`,
      perTurn.values,
      'ms',
      'send → every run ended: turn start, the streamed answer, the run’s end (its checkpoint)',
    );
  }
  const results = rounds.flatMap((r) => r.results);
  const failed = results.filter((r) => r.status !== 'idle').length + rounds.reduce((sum, r) => sum + PEOPLE - r.results.length, 0);
  const lost = results.reduce((sum, r) => sum + r.check.lost + r.check.outOfOrder, 0);
  const duplicated = results.reduce((sum, r) => sum + r.check.duplicated, 0);
  out.add(
    `${label}: turns failed, events lost / duplicated`,
    `${failed}, ${lost} / ${duplicated}`,
    '',
    `all ${ROUNDS} rounds, by event ids and token sequence; all must be 0`,
  );
}

async function cluster(): Promise<Figure[]> {
  const out = figures('cluster mode', COMMAND);
  for (const { label, start, instances } of MODES) await mode(label, instances, start, out);
  return [...out.list, ...(await eventHub())];
}

await runAlone(cluster);
