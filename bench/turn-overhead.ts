/**
 * 1. Turn overhead: what the whole stack adds to the time to first (and last) token of an answer,
 * with the server idle. A load generator process alternates, person by person: one answer straight
 * from the stand-in (its own process), then one through the whole stack (typed client over
 * WebSocket → server → graph → stand-in → back). Each pair's difference is one sample, so the
 * figures are percentiles of differences, not differences of percentiles, and a slow moment on the
 * machine lands on both halves of a pair.
 */
import { startLoadGenerator } from './lib/load-generator.ts';
import type { TtftPair } from './lib/load-child.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { startServerProcess } from './lib/server-process.ts';
import { startStandinProcess } from './lib/standin-process.ts';
import { summarise } from './lib/stats.ts';

const COMMAND = 'bun bench/turn-overhead.ts';
const TOKENS = 10;
const INTERVAL_MS = 2;
/** 52 people × 5 turns: 259 counted pairs after the first, within each person's send allowance (a burst of 10). */
const USERS = 52;
const ROUNDS = 5;
const TURN_TIMEOUT_MS = 30_000;

async function turnOverhead(): Promise<Figure[]> {
  await using standin = await startStandinProcess({ tokens: TOKENS, intervalMs: INTERVAL_MS });
  await using server = await startServerProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: standin.baseURL, LLM_MODEL: 'bench-model' });
  const users = await server.call({ type: 'users', count: USERS, prefix: 'turn' });
  await using load = await startLoadGenerator(server.url, users, 1);
  const all = await load.ttft({ standinURL: standin.baseURL, rounds: ROUNDS, tokens: TOKENS, timeoutMs: TURN_TIMEOUT_MS });
  // The first pair warms up the server's code paths; it is not counted.
  const pairs = all.slice(1).filter((p) => p.ok);
  const failures = all.filter((p) => !p.ok).length;

  const out = figures('1 turn overhead', COMMAND);
  const shape = `${TOKENS} tokens, one every ${INTERVAL_MS} ms; ${pairs.length} pairs (direct, then stack), one at a time`;
  const pick = (which: 'first' | 'last', side: keyof Pick<TtftPair, 'direct' | 'stack'>) => pairs.map((p) => p[side][which]);
  for (const which of ['first', 'last'] as const) {
    const stack = summarise(pick(which, 'stack'));
    const direct = summarise(pick(which, 'direct'));
    const added = summarise(pairs.map((p) => p.stack[which] - p.direct[which]));
    out.add(`time to ${which} token, whole stack`, `${stack.p50.toFixed(1)} / ${stack.p99.toFixed(1)}`, 'ms p50 / p99', shape);
    out.add(`time to ${which} token, stand-in direct`, `${direct.p50.toFixed(1)} / ${direct.p99.toFixed(1)}`, 'ms p50 / p99');
    if (which === 'first') {
      out.add('added by the stack, first token, p50', added.p50, 'ms', 'per-pair difference, stack − direct', 'addedTtftP50Ms');
      out.add('added by the stack, first token, p99', added.p99, 'ms', 'per-pair difference, stack − direct', 'addedTtftP99Ms');
    } else {
      out.add('added by the stack, last token', `${added.p50.toFixed(1)} / ${added.p99.toFixed(1)}`, 'ms p50 / p99', 'per-pair difference');
    }
  }
  out.add('turns that failed or lost tokens', failures, '');
  return out.list;
}

await runAlone(turnOverhead);
