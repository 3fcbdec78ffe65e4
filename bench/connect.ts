/**
 * 5. Connect: what "Connect" costs a person, through the API (`servers.connect`: the MCP handshake,
 * listing the tools, handing them to the LLM handler, which recompiles the graph), for the
 * internal server and for a server with 100 tools. Each person connects once to each,
 * one person at a time. The recompile alone is timed inside the server process.
 */
import { startHundredToolsServer, TOOL_COUNT } from './fixtures/hundred-tools-server.ts';
import { connectUser } from './lib/clients.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { startServerProcess } from './lib/server-process.ts';
import { since, summarise } from './lib/stats.ts';

const COMMAND = 'bun bench/connect.ts';
const INTERNAL = 'countersign-internal';
const USERS = 20;
const RECOMPILES = 50;

async function connect(): Promise<Figure[]> {
  await using hundred = startHundredToolsServer();
  await using server = await startServerProcess();
  const { id: hundredId } = await server.call({
    type: 'add-server',
    entry: { name: 'Hundred tools', transport: 'streamable-http', url: hundred.url },
  });
  const users = (await server.call({ type: 'users', count: USERS + 1, prefix: 'connect' })).map((u) => connectUser(server.url, u));
  const samples = { internal: [] as number[], hundred: [] as number[] };
  const toolCounts = { internal: 0, hundred: 0 };
  let failed = 0;
  try {
    for (const [i, user] of users.entries()) {
      await user.client.api.session.initialize.mutate();
      for (const [which, serverId] of [
        ['internal', INTERNAL],
        ['hundred', hundredId],
      ] as const) {
        const start = performance.now();
        const result = await user.client.api.servers.connect.mutate({ serverId });
        const ms = since(start);
        if (result.connection !== 'connected') failed++;
        toolCounts[which] = result.tools.length;
        // The first person's connects also pay for the first handshake's era probe; not counted.
        if (i > 0) samples[which].push(ms);
      }
    }
    const recompile = await server.call({ type: 'recompile', userId: users[0]!.userId, times: RECOMPILES });

    const out = figures('5 connect', COMMAND);
    for (const which of ['internal', 'hundred'] as const) {
      const s = summarise(samples[which]);
      const label = which === 'internal' ? `internal server (${toolCounts.internal} tools)` : `server with ${TOOL_COUNT} tools`;
      out.add(
        `connect + list + recompile: ${label}`,
        `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)}`,
        'ms p50 / p99',
        `servers.connect, ${s.n} people, loopback`,
      );
    }
    out.add('graph recompile alone', recompile.p50Ms, 'ms p50', `${recompile.tools} tools, inside the server process`);
    out.add('connects that failed', failed, '');
    return out.list;
  } finally {
    await Promise.all(users.map((u) => u.client.close()));
  }
}

await runAlone(connect);
