/**
 * Turn-start CPU: the server's CPU per turn start, through the real client: N people, each on the
 * typed client over its own WebSocket (tRPC), send at once to a server in its own process; the
 * window runs from the sends until every person has received the first token of the answer. The
 * stand-in model (its own process) sends each answer's first token at once and holds the rest until
 * the window has closed, so the server CPU counted (read from the server process itself) is turn
 * starts only: the send through tRPC, the graph's start, the model request, the first token out.
 * Then the answers are released and the runs finish; that CPU is reported apart ("turn finish").
 * Several rounds on the same chats, so later rounds replay a longer history; the figure is the
 * median of the rounds after the first (each chat's first turn also names it and warms the JIT).
 * The load generator (this process) and the stand-in report their CPU over the same window.
 *
 *   bun bench/turn-start.ts                       (BENCH_TURN_USERS=300 BENCH_TURN_ROUNDS=6)
 *   BENCH_CPU_PROFILE_DIR=/tmp/prof bun bench/turn-start.ts   also writes the server's CPU profile
 */
import { connectUser, followChat, type BenchUser } from './lib/clients.ts';
import { startHeldStandin } from './lib/held-standin.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { startServerProcess } from './lib/server-process.ts';
import { mapLimit, percentile, within } from './lib/stats.ts';

const COMMAND = 'bun bench/turn-start.ts';
const USERS = Number(process.env.BENCH_TURN_USERS ?? 300);
const ROUNDS = Number(process.env.BENCH_TURN_ROUNDS ?? 6);
const SETUP_CONCURRENCY = 50;
const TURN_TIMEOUT_MS = 120_000;

const cpuMs = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1000;

interface Round {
  serverStartMs: number;
  serverFinishMs: number;
  harnessStartMs: number;
  standinStartMs: number;
  wallMs: number;
  failed: number;
}

async function turnStart(): Promise<Figure[]> {
  await using standin = await startHeldStandin();
  await using server = await startServerProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: standin.ready, LLM_MODEL: 'bench-model' });
  const users: BenchUser[] = (await server.call({ type: 'users', count: USERS, prefix: 'ts' })).map((u) => connectUser(server.url, u));
  const rounds: Round[] = [];
  try {
    // As the web chat does after sign-in: `initialize` builds each person's handlers (their graph) before they chat.
    const chats = await mapLimit(users, SETUP_CONCURRENCY, async (u) => {
      await u.client.api.session.initialize.mutate();
      return u.client.api.chats.create.mutate({ title: 'bench', enabledServers: [] });
    });
    for (let round = 0; round < ROUNDS; round++) {
      // Every subscription is open before the first send, so the window holds sends and starts only.
      const turns = await mapLimit(users, SETUP_CONCURRENCY, (user, i) => followChat(user, chats[i]!.id, TURN_TIMEOUT_MS));
      const server0 = await server.call({ type: 'cpu' });
      const standin0 = await standin.call({ type: 'cpu' });
      const harness0 = process.cpuUsage();
      const wall0 = performance.now();
      await Promise.all(turns.map((turn, i) => turn.send(`round ${round} from ${users[i]!.userId}`)));
      // A run that fails before its first token ends the wait too; it is counted as failed below.
      await within(Promise.all(turns.map((turn) => Promise.race([turn.firstToken, turn.finished]))), TURN_TIMEOUT_MS, 'first tokens');
      const wallMs = performance.now() - wall0;
      const harnessStartMs = cpuMs(process.cpuUsage(harness0)) / USERS;
      const server1 = await server.call({ type: 'cpu' });
      const standin1 = await standin.call({ type: 'cpu' });
      await standin.call({ type: 'release' });
      const statuses = await Promise.all(turns.map((turn) => turn.finished.catch(() => 'error')));
      const server2 = await server.call({ type: 'cpu' });
      const r: Round = {
        serverStartMs: (cpuMs(server1) - cpuMs(server0)) / USERS,
        serverFinishMs: (cpuMs(server2) - cpuMs(server1)) / USERS,
        harnessStartMs,
        standinStartMs: (cpuMs(standin1) - cpuMs(standin0)) / USERS,
        wallMs,
        failed: statuses.filter((s) => s !== 'idle').length,
      };
      rounds.push(r);
      console.error(
        `round ${round + 1}: start ${r.serverStartMs.toFixed(2)} ms server CPU/turn (${wallMs.toFixed(0)} ms wall for ${USERS}), finish ${r.serverFinishMs.toFixed(2)} ms, failed ${r.failed}`,
      );
    }
  } finally {
    await Promise.all(users.map((u) => u.client.close()));
  }
  const later = rounds.slice(1);
  const p50 = (pick: (r: Round) => number) => percentile(later.map(pick), 50);
  const out = figures('turn start', COMMAND);
  out.add(
    'server CPU per turn start',
    p50((r) => r.serverStartMs),
    'ms',
    `p50 of rounds 2..${ROUNDS}; ${USERS} sends at once over tRPC + WebSocket, send → first token at the client`,
    'turnStartCpuMs',
  );
  out.add('server CPU per turn start, first turn', rounds[0]!.serverStartMs, 'ms', 'round 1: each chat’s first turn');
  out.add(
    'server CPU per turn finish',
    p50((r) => r.serverFinishMs),
    'ms',
    'p50; the held 2 tokens, then the run’s end',
  );
  out.add(
    'harness CPU per turn start: load generator / stand-in',
    `${p50((r) => r.harnessStartMs).toFixed(2)} / ${p50((r) => r.standinStartMs).toFixed(2)}`,
    'ms',
    'p50; each in its own process, same window',
  );
  out.add(
    'wall time for all first tokens',
    p50((r) => r.wallMs),
    'ms',
    `p50, ${USERS} turns`,
  );
  out.add(
    'turns that failed',
    rounds.reduce((sum, r) => sum + r.failed, 0),
    '',
    `of ${USERS * ROUNDS}`,
  );
  return out.list;
}

await runAlone(turnStart);
