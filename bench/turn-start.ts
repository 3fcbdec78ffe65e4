/**
 * Turn-start CPU: the server's CPU per turn start, from `chats.send` until the model request is
 * on the wire. N people send at once (as in concurrency.ts); the stand-in (its own process) holds
 * every answer until all N requests have arrived, so the CPU counted in that window is turn-start
 * work only. Then the answers are released (3 tokens each) and the runs finish; that CPU is
 * reported apart ("turn finish"). Several rounds on the same chats, so later rounds see a history.
 * The server runs in this process (startServer), driven through the chat service as the tRPC router does.
 *
 *   bun bench/turn-start.ts                      (BENCH_TURN_USERS=300 BENCH_TURN_ROUNDS=5)
 *   bun --cpu-prof-md --cpu-prof-dir=/tmp/prof bench/turn-start.ts   for a profile
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrizzleUserStore } from '../server/auth/users-store.ts';
import { ChatStore, type ChatRow } from '../server/chats/chat-store.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer } from '../server/server.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { within } from './lib/stats.ts';

const COMMAND = 'bun bench/turn-start.ts';

// Bun reads its cap on outgoing requests (256) only at process start, and every held answer keeps
// one open: run again with it raised, as server-process.ts and `npm start` do.
if (!process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
  const child = Bun.spawn([process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: '4096' },
    stdio: ['inherit', 'inherit', 'inherit'],
  });
  process.exit(await child.exited);
}
const USERS = Number(process.env.BENCH_TURN_USERS ?? 300);
const ROUNDS = Number(process.env.BENCH_TURN_ROUNDS ?? 5);

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function turnStart(): Promise<Figure[]> {
  const arrivals: ((n: number) => void)[] = [];
  const baseURL = Promise.withResolvers<string>();
  const standin = Bun.spawn([process.execPath, join(import.meta.dir, 'lib', 'held-standin.ts')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    serialization: 'json',
    ipc(message: { baseURL?: string; arrived?: number }) {
      if (message.baseURL) baseURL.resolve(message.baseURL);
      if (message.arrived) arrivals.shift()?.(message.arrived);
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-turn-start-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    SEED_CATALOGUE: 'true',
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: await within(baseURL.promise, 30_000, 'stand-in start'),
    LLM_MODEL: 'bench-model',
  });
  const server = await startServer(config, createLogger('error'));
  const out = figures('turn start', COMMAND);
  try {
    const users = new DrizzleUserStore(server.db.drizzle);
    const store = new ChatStore(server.db);
    const people: { userId: string; chat: ChatRow }[] = [];
    for (let i = 0; i < USERS; i++) {
      const subject = `ts-${i}`;
      const user = await users.upsertOnSignIn(
        { issuer: 'http://bench.countersign.invalid', subject, tenantId: null, email: `${subject}@bench.invalid`, name: subject },
        new Date(),
      );
      await server.userHandlers.llmFor(user.id);
      people.push({ userId: user.id, chat: await store.create(user.id, { title: 'bench', enabledServers: [] }) });
    }
    const starts: number[] = [];
    const finishes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const allArrived = new Promise<number>((resolve) => arrivals.push(resolve));
      standin.send({ expect: USERS });
      const cpu0 = cpuMs();
      const wall0 = performance.now();
      await Promise.all(people.map(({ userId, chat }) => server.chats.send(userId, chat, `round ${round} from ${userId}`)));
      await within(allArrived, 120_000, 'all requests at the stand-in');
      const cpu1 = cpuMs();
      const wall1 = performance.now();
      standin.send({ release: true });
      await server.chats.drain();
      const cpu2 = cpuMs();
      starts.push((cpu1 - cpu0) / USERS);
      finishes.push((cpu2 - cpu1) / USERS);
      console.error(
        `round ${round}: start ${((cpu1 - cpu0) / USERS).toFixed(2)} ms CPU/turn (${(wall1 - wall0).toFixed(0)} ms wall for ${USERS}), finish ${((cpu2 - cpu1) / USERS).toFixed(2)} ms CPU/turn`,
      );
    }
    // Round 0 is each thread's first turn and the JIT's warm-up; reported apart.
    const later = (xs: number[]) => xs.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, xs.length - 1);
    const shape = `${USERS} sends at once, ${ROUNDS} rounds`;
    out.add('CPU per turn start, first turn', starts[0]!, 'ms', shape);
    out.add('CPU per turn start, later turns (mean)', later(starts), 'ms', `rounds 2..${ROUNDS}`);
    out.add(`CPU per turn start, turn ${ROUNDS}`, starts.at(-1)!, 'ms', 'a longer history to replay');
    out.add('CPU per turn finish, later turns (mean)', later(finishes), 'ms', '3-token answer, run end');
  } finally {
    await server.stop();
    standin.send({ stop: true });
    await within(standin.exited, 10_000, 'stand-in exit').catch(() => standin.kill('SIGKILL'));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out.list;
}

await runAlone(turnStart);
