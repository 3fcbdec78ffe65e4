/**
 * A whole Countersign server (startServer) in a process of its own, driven over Bun's IPC
 * (ipc-child.ts) by server-process.ts. Its own process, so its CPU, memory and event loop are
 * measured apart from the load generator and the LLM stand-in. Configuration comes from the
 * environment the parent sets. Besides serving,
 * it answers a few requests only a process can answer about itself: RSS, CPU, event-loop lag, and
 * shortcuts that reach into its services (signed-in users without an OAuth round trip, catalogue
 * entries, a timed graph recompile).
 */
import { DrizzleSessionStore } from '../../server/auth/session-store.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { loadConfig } from '../../server/config.ts';
import { startServer } from '../../server/server.ts';
import type { CatalogueInput } from '../../server/mcp/catalogue.ts';
import { serveParent } from './ipc-child.ts';
import { LagSampler, type LagSummary } from './lag.ts';
import { clock, percentile } from './stats.ts';

export type ChildRequest =
  | { type: 'users'; count: number; prefix: string }
  | { type: 'memory' }
  | { type: 'lag-start' }
  | { type: 'lag-stop' }
  | { type: 'cpu' }
  | { type: 'add-server'; entry: CatalogueInput }
  | { type: 'recompile'; userId: string; times: number }
  | { type: 'stop' };

export interface SignedInUser {
  userId: string;
  /** A Cookie header value carrying the user's session. */
  cookie: string;
}

export interface ChildReplies {
  users: SignedInUser[];
  memory: { rss: number; heapUsed: number };
  'lag-start': null;
  'lag-stop': LagSummary;
  /** process.cpuUsage() of the server process, µs, and when it was read (clock(), ms). */
  cpu: { user: number; system: number; at: number };
  'add-server': { id: string };
  recompile: { p50Ms: number; tools: number };
  stop: null;
}

const config = loadConfig();
const server = await startServer(config);
const users = new DrizzleUserStore(server.db);
const sessions = new Sessions(new DrizzleSessionStore(server.db), config.auth.sessionTtlMs);
let lag: LagSampler | undefined;

/** The same two steps as the end of a real sign-in (auth-service completeSignIn), minus the provider round trip. */
async function signInDirectly(count: number, prefix: string): Promise<SignedInUser[]> {
  const result: SignedInUser[] = [];
  for (let i = 0; i < count; i++) {
    const subject = `${prefix}-${i}`;
    const user = await users.upsertOnSignIn(
      { issuer: 'http://bench.countersign.invalid', subject, tenantId: null, email: `${subject}@bench.invalid`, name: subject },
      new Date(),
    );
    const token = await sessions.create(user.id, 'countersign-bench');
    result.push({ userId: user.id, cookie: `${server.auth.cookies.sessionName}=${token}` });
  }
  return result;
}

async function timeRecompile(userId: string, times: number) {
  const handler = await server.userHandlers.llmFor(userId);
  const tools = handler.tools;
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    handler.setTools(tools);
    samples.push(performance.now() - start);
  }
  return { p50Ms: percentile(samples, 50), tools: tools.length };
}

async function answer(request: ChildRequest): Promise<unknown> {
  switch (request.type) {
    case 'users':
      return signInDirectly(request.count, request.prefix);
    case 'memory':
      Bun.gc(true);
      return { rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed };
    case 'lag-start':
      lag = new LagSampler();
      return null;
    case 'lag-stop': {
      if (!lag) throw new Error('lag-stop without lag-start');
      const summary = lag.stop();
      lag = undefined;
      return summary;
    }
    case 'cpu':
      return { ...process.cpuUsage(), at: clock() };
    case 'add-server':
      return { id: (await server.catalogue.create(request.entry)).id };
    case 'recompile':
      return timeRecompile(request.userId, request.times);
    case 'stop':
      await server.stop();
      return null;
  }
}

serveParent(answer, server.url);
