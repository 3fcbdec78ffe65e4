/**
 * 2. Concurrency: N people each streaming an answer at the same moment, each over their own typed
 * client and WebSocket. Reported per N: tokens delivered per second, latency each token adds
 * between leaving the stand-in and reaching its client (p50/p99), errors, and events lost or
 * duplicated (checked by event ids and by the token sequence; both must be 0). Also 7b: the
 * server's event-loop lag while it streams.
 */
import { startLlmStandin, tokenText } from './llm-standin.ts';
import { checkStream, connectUser, followChat, tokensOf, type BenchUser, type Turn } from './lib/clients.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { startServerProcess } from './lib/server-process.ts';
import { mapLimit, percentile, since } from './lib/stats.ts';

const COMMAND = 'bun bench/concurrency.ts';
/** Each answer: 50 tokens, one every 50 ms (20 tokens/s per person, 2.5 s per answer). */
const TOKENS = 50;
const INTERVAL_MS = 50;
const SETUP_CONCURRENCY = 50;
const TURN_TIMEOUT_MS = 120_000;

const CONCURRENCY_LEVELS = (process.env.BENCH_USERS ?? '100,500,1000').split(',').map(Number);

interface LevelResult {
  users: number;
  tokensPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  errors: number;
  lost: number;
  duplicated: number;
  lagP99: number;
  lagMax: number;
  /** Server CPU (user + system) over the streaming phase, divided by tokens delivered. */
  cpuPerTokenUs: number;
  /** Token events received (one WebSocket frame each) per token delivered. */
  framesPerToken: number;
  wallMs: number;
}

async function level(count: number): Promise<LevelResult> {
  await using standin = startLlmStandin({ tokens: TOKENS, intervalMs: INTERVAL_MS });
  await using server = await startServerProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: standin.baseURL, LLM_MODEL: 'bench-model' });
  const signedIn = await server.call({ type: 'users', count, prefix: `c${count}` });
  const users: BenchUser[] = signedIn.map((u) => connectUser(server.url, u));
  let errors = 0;
  try {
    // As the web chat does after sign-in: `initialize` builds each person's handlers (their graph) before they chat.
    const chats = await mapLimit(users, SETUP_CONCURRENCY, async (u) => {
      await u.client.api.session.initialize.mutate();
      return u.client.api.chats.create.mutate({ title: 'bench', enabledServers: [] });
    });
    // Every subscription is open before any send goes out, so all answers stream at once.
    const followed = await mapLimit(users, SETUP_CONCURRENCY, async (user, i) => {
      const turn = await followChat(user, chats[i]!.id, TURN_TIMEOUT_MS).catch(() => undefined);
      return turn && { key: `stream of ${user.userId}`, turn };
    });
    const turns = followed.filter((t): t is { key: string; turn: Turn } => t !== undefined);
    errors += count - turns.length;
    await server.call({ type: 'lag-start' });
    const cpuBefore = await server.call({ type: 'cpu' });
    const began = performance.now();
    const sent = await Promise.all(
      turns.map(({ key, turn }) =>
        turn.send(key).then(
          () => true,
          () => false,
        ),
      ),
    );
    const statuses = await Promise.all(turns.map(({ turn }, i) => (sent[i] ? turn.finished.catch(() => 'error') : 'not sent')));
    const wallMs = since(began);
    const cpuAfter = await server.call({ type: 'cpu' });
    const lag = await server.call({ type: 'lag-stop' });
    errors += statuses.filter((s) => s !== 'idle').length;

    let lost = 0;
    let duplicated = 0;
    let delivered = 0;
    let frames = 0;
    const latencies: number[] = [];
    for (const { key, turn } of turns) {
      const check = checkStream(turn, TOKENS);
      lost += check.lost + check.outOfOrder;
      duplicated += check.duplicated;
      const emitted = standin.emitted.get(key) ?? [];
      for (const token of tokensOf(turn)) {
        frames++;
        // One event may carry several tokens (deltas merged within a server tick).
        for (const match of token.delta.matchAll(/w(\d+) /g)) {
          delivered++;
          const index = Number(match[1]);
          const sentAt = emitted[index];
          if (sentAt !== undefined && match[0] === tokenText(index)) latencies.push(token.at - sentAt);
        }
      }
    }
    const firstSend = turns.reduce((min, { turn }) => Math.min(min, turn.sentAt), Infinity);
    const lastToken = turns.reduce((max, { turn }) => Math.max(max, tokensOf(turn).at(-1)?.at ?? 0), 0);
    return {
      users: count,
      tokensPerSecond: delivered / ((lastToken - firstSend) / 1000),
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      errors,
      lost,
      duplicated,
      lagP99: lag.p99,
      lagMax: lag.max,
      cpuPerTokenUs: (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / delivered,
      framesPerToken: frames / delivered,
      wallMs,
    };
  } finally {
    await Promise.all(users.map((u) => u.client.close()));
  }
}

async function concurrency(): Promise<Figure[]> {
  const out = figures('2 concurrency', COMMAND);
  const lagOut = figures('7b event-loop lag', COMMAND);
  for (const users of CONCURRENCY_LEVELS) {
    const r = await level(users);
    const shape = `${users} people × ${TOKENS} tokens at ${1000 / INTERVAL_MS}/s`;
    out.add(`${users} users: tokens delivered`, r.tokensPerSecond, 'tokens/s', `${shape}; offered ${(users * 1000) / INTERVAL_MS}/s`);
    out.add(
      `${users} users: added latency per token`,
      `${r.latencyP50.toFixed(1)} / ${r.latencyP99.toFixed(1)}`,
      'ms p50 / p99',
      'stand-in sent it → client received it',
    );
    out.add(`${users} users: server CPU per delivered token`, r.cpuPerTokenUs, 'µs', 'server process CPU (user + system) while streaming');
    out.add(`${users} users: token frames per token`, r.framesPerToken, '', 'token events received ÷ tokens delivered');
    out.add(`${users} users: errors`, r.errors, '');
    out.add(`${users} users: events lost / duplicated`, `${r.lost} / ${r.duplicated}`, '', 'by event ids and token sequence');
    lagOut.add(
      `${users} users streaming: server event-loop lag`,
      `${r.lagP99.toFixed(1)} / ${r.lagMax.toFixed(1)}`,
      'ms p99 / max',
      `${(r.wallMs / 1000).toFixed(1)} s run`,
    );
  }
  return [...out.list, ...lagOut.list];
}

await runAlone(concurrency);
