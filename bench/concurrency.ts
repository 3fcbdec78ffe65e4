/**
 * 2. Concurrency and saturation, with the server, the LLM stand-in and the people (typed clients over
 * WebSocket) each in their own processes (lib/streaming-crowd.ts), each reporting its own CPU, so the
 * figures say whether the server or the harness ran out.
 *
 * Levels: N people follow their chats and all send at the same moment. Each answer's first token
 * comes at once and the rest wait until every send is answered, then all stream together at 20
 * tokens/s. Reported per N: the burst (every send answered? the server's time-weighted event-loop
 * lag until the last first token arrived), then a steady window in which every answer streams: tokens delivered per second against offered, latency each token adds between
 * leaving the stand-in and reaching its client, server CPU per delivered token, frames per token,
 * each process's CPU; and at the end errors and events lost or duplicated (by event ids and the
 * token sequence; both must be 0).
 *
 * Saturation: one server, rounds of more and more people (offered = people × 20 tokens/s), each
 * with its steady window, until delivered stops following offered; the knee is the last step that
 * kept up. Each round's answers end soon after its window, so a step past the knee costs a backlog
 * the server drains, not a run that never ends.
 */
import { figures, runAlone, type Figure } from './lib/report.ts';
import { cpuPercent, cpuUs, startCrowd, type Burst, type Window } from './lib/streaming-crowd.ts';

const COMMAND = 'bun bench/concurrency.ts';
/** One token every 50 ms: 20 tokens/s per person. */
const INTERVAL_MS = 50;
const TOKENS_PER_SEC = 1000 / INTERVAL_MS;
/** The steady stretch measured after each burst; 60 tokens per person. */
const WINDOW_MS = 3000;
/** A saturation step waits this long for its people's first tokens; past it the step has not kept up. */
const STEP_ANSWER_TIMEOUT_MS = 60_000;
const LEVELS = (process.env.BENCH_USERS ?? '100,500,1000').split(',').map(Number);
/** The level whose figures are the headline ones in latest.json. */
const KEY_LEVEL = 1000;
/** People after each saturation step (× 20 tokens/s offered). */
const SATURATION_STEPS = (process.env.BENCH_SATURATION_USERS ?? '100,200,400,600,800,1200').split(',').map(Number);
/** 2 cores: two load generator processes keep one event loop from capping the clients without crowding out the server. */
const LOAD_PROCESSES = Number(process.env.BENCH_LOAD_PROCESSES ?? 2);
/** A step keeps up when delivered is at least this share of offered… */
const KEEP_UP_SHARE = 0.9;
/** …and 99% of the tokens sent in its window reach their client within this (four token intervals). */
const KEEP_UP_P99_MS = 200;

/** Progress on stderr, so a slow step shows where it is; the figures go to stdout. */
function progress(line: string): void {
  console.error(`concurrency: ${line}`);
}

function processCpu(window: Window): string {
  return `CPU % of a core: server ${cpuPercent(window.server).toFixed(0)}, load generators (${LOAD_PROCESSES}) ${cpuPercent(window.load).toFixed(0)}, stand-in ${cpuPercent(window.standin).toFixed(0)}`;
}

function burstNote(burst: Burst): string {
  const unanswered = burst.endedWithout + burst.waiting;
  const refused = burst.refused.length ? `; refused: ${burst.refused.join('; ')}` : '';
  return `${burst.answered} of ${burst.sent} sends answered${unanswered ? ` (${unanswered} not)` : ''}, last first token after ${(burst.ms / 1000).toFixed(1)} s${refused}`;
}

async function level(people: number, out: ReturnType<typeof figures>, lagOut: ReturnType<typeof figures>): Promise<void> {
  await using crowd = await startCrowd(people, LOAD_PROCESSES, INTERVAL_MS, WINDOW_MS);
  const { burst, window, stats, results } = await crowd.round({ from: 0, to: people });
  progress(`${people} people: ${burstNote(burst)}; every run ended`);

  // Everyone not connected, refused, or whose run did not end idle.
  const errors = people - results.length + results.filter((r) => r.status !== 'idle').length;
  const lost = results.reduce((sum, r) => sum + r.check.lost + r.check.outOfOrder, 0);
  const duplicated = results.reduce((sum, r) => sum + r.check.duplicated, 0);
  const key = people === KEY_LEVEL;
  const offered = people * TOKENS_PER_SEC;
  const steady = `steady ${WINDOW_MS / 1000} s window, all answers streaming`;

  out.add(
    `${people} people: tokens delivered`,
    stats.deliveredPerSec,
    'tokens/s',
    `between the server's CPU readings around a ${steady}; offered ${offered}/s, stand-in sent ${stats.emittedPerSec.toFixed(0)}/s`,
  );
  out.add(
    `${people} people: added latency per token`,
    `${stats.latencyP50.toFixed(1)} / ${stats.latencyP99.toFixed(1)}`,
    'ms p50 / p99',
    'stand-in sent it → client received it, tokens sent in the window',
  );
  out.add(
    `${people} people: server CPU per delivered token`,
    cpuUs(window.server) / stats.delivered,
    'µs',
    `server process (user + system) in the window; ${processCpu(window)}`,
    key ? 'serverCpuPerTokenUs' : undefined,
  );
  out.add(`${people} people: token frames per token`, stats.framesPerToken, '', 'token events received ÷ tokens delivered, in the window');
  out.add(`${people} people: errors`, errors, '', 'not connected, send refused, or run not ended idle');
  out.add(`${people} people: events lost / duplicated`, `${lost} / ${duplicated}`, '', 'by event ids and token sequence, whole answers');
  lagOut.add(
    `${people} sends at once: server event-loop lag p99`,
    burst.lag.p99,
    'ms',
    `time-weighted, from the sends to the last first token (answers pause after it); max ${burst.lag.max.toFixed(0)} ms; ${burstNote(burst)}`,
    key ? 'burstLagP99Ms' : undefined,
  );
  lagOut.add(
    `${people} people streaming: server event-loop lag`,
    `${window.lag.p99.toFixed(1)} / ${window.lag.max.toFixed(1)}`,
    'ms p99 / max',
    `time-weighted, in the ${steady}`,
  );
}

async function saturation(out: ReturnType<typeof figures>): Promise<void> {
  await using crowd = await startCrowd(SATURATION_STEPS.at(-1)!, LOAD_PROCESSES, INTERVAL_MS, WINDOW_MS);
  let knee = 0;
  for (const people of SATURATION_STEPS) {
    const offered = people * TOKENS_PER_SEC;
    const { burst, window, stats } = await crowd.round({ from: 0, to: people }, STEP_ANSWER_TIMEOUT_MS);
    const keptUp = stats.deliveredPerSec >= KEEP_UP_SHARE * offered && stats.latencyP99 <= KEEP_UP_P99_MS && burst.answered === burst.sent;
    progress(
      `saturation, ${people} people: delivered ${stats.deliveredPerSec.toFixed(0)} tokens/s; ${keptUp ? 'kept up' : 'did not keep up'}`,
    );
    out.add(
      `offered ${offered} tokens/s (${people} people): delivered`,
      stats.deliveredPerSec,
      'tokens/s',
      `${keptUp ? 'kept up' : 'did not keep up'}; p99 added latency ${stats.latencyP99.toFixed(0)} ms; ${processCpu(window)}; stand-in sent ${stats.emittedPerSec.toFixed(0)}/s; ${burstNote(burst)}`,
    );
    if (!keptUp) break;
    knee = offered;
  }
  out.add(
    'saturation: the knee',
    knee,
    'tokens/s offered',
    `last step with delivered ≥ ${KEEP_UP_SHARE * 100}% of offered, p99 added latency ≤ ${KEEP_UP_P99_MS} ms and every send answered`,
    'saturationTokensPerSec',
  );
}

async function concurrency(): Promise<Figure[]> {
  const out = figures('2 concurrency', COMMAND);
  const lagOut = figures('7b event-loop lag', COMMAND);
  const saturationOut = figures('2b saturation', COMMAND);
  for (const people of LEVELS) await level(people, out, lagOut);
  await saturation(saturationOut);
  return [...out.list, ...lagOut.list, ...saturationOut.list];
}

await runAlone(concurrency);
