/**
 * 3. Memory: the server's resident set size per signed-in person who has a compiled graph
 * (`session.initialize`), one connected MCP server (the internal one, over Streamable HTTP on
 * loopback) and an open WebSocket. Sessions are created through the session store directly (the
 * same two steps sign-in ends with), not by 1000 OAuth round trips through the development provider.
 * The largest level's RSS per user (KiB = 1024 bytes) is latest.json's memoryPerUserKiB.
 */
import { connectUser, type BenchUser } from './lib/clients.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { startServerProcess, type ServerProcess } from './lib/server-process.ts';
import { mapLimit } from './lib/stats.ts';

const COMMAND = 'bun bench/memory.ts';
const INTERNAL = 'countersign-internal';
const WARM_UP_USERS = 10;
const CONCURRENCY = 20;
const MEMORY_LEVELS = (process.env.BENCH_MEMORY_USERS ?? '100,1000').split(',').map(Number);

async function activate(server: ServerProcess, count: number, prefix: string): Promise<{ users: BenchUser[]; failed: number }> {
  const users = (await server.call({ type: 'users', count, prefix })).map((u) => connectUser(server.url, u));
  let failed = 0;
  await mapLimit(users, CONCURRENCY, async (user) => {
    try {
      await user.client.api.session.initialize.mutate();
      const connected = await user.client.api.servers.connect.mutate({ serverId: INTERNAL });
      if (connected.connection !== 'connected') failed++;
    } catch {
      failed++;
    }
  });
  return { users, failed };
}

async function perUser(count: number): Promise<{ rssKiB: number; heapKiB: number; failed: number; totalMiB: number }> {
  await using server = await startServerProcess();
  // The first users load the code paths (graph, MCP client and server); they are not counted.
  const warm = await activate(server, WARM_UP_USERS, 'warm');
  const before = await server.call({ type: 'memory' });
  const measured = await activate(server, count, `m${count}`);
  const after = await server.call({ type: 'memory' });
  await Promise.all([...warm.users, ...measured.users].map((u) => u.client.close()));
  return {
    rssKiB: (after.rss - before.rss) / count / 1024,
    heapKiB: (after.heapUsed - before.heapUsed) / count / 1024,
    failed: measured.failed + warm.failed,
    totalMiB: after.rss / 1024 / 1024,
  };
}

async function memory(): Promise<Figure[]> {
  const out = figures('3 memory', COMMAND);
  const largest = Math.max(...MEMORY_LEVELS);
  for (const count of MEMORY_LEVELS) {
    const r = await perUser(count);
    const note = `graph + internal MCP connection + WebSocket each; server RSS ${r.totalMiB.toFixed(0)} MiB at the end`;
    out.add(`${count} users: RSS per user`, r.rssKiB, 'KiB', note, count === largest ? 'memoryPerUserKiB' : undefined);
    out.add(`${count} users: JS heap per user`, r.heapKiB, 'KiB');
    out.add(`${count} users: sign-ins or connects that failed`, r.failed, '', 'sessions made through the session store, not OAuth');
  }
  return out.list;
}

await runAlone(memory);
