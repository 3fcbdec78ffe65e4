/**
 * Many people each streaming an answer, with every part in its own process: the server
 * (server-process.ts), the LLM stand-in (standin-process.ts) and the people (load-generator.ts).
 * A round: the people of a range follow their chats and all send at once; each answer's first
 * token comes at once and the rest wait, so the burst of turn starts is measured on its own (every
 * send answered? the server's event-loop lag meanwhile). Then every answer streams together at a
 * fixed rate through a measured window (each process's CPU, the server's lag), and ends a little
 * after it, so a round is bounded work even for a server that cannot keep up: it only takes longer.
 * The server is one process, or several instances of one deployment (server-group.ts).
 */
import type { LagSummary } from './lag.ts';
import type { PersonResult, Range } from './load-child.ts';
import { startLoadGenerator, type LoadGenerator } from './load-generator.ts';
import { serverGroup, type CpuReading, type ServerGroup, type ServiceCpu } from './server-group.ts';
import { startServerProcess } from './server-process.ts';
import { startStandinProcess, type StandinProcess } from './standin-process.ts';
import { percentile, since } from './stats.ts';

/** Bounds every wait for runs: a turn start queued behind a thousand others still gets well within this. */
const RUN_TIMEOUT_MS = 240_000;
/** Answers go on this long after the window, so every one is still streaming when it closes. */
const MARGIN_MS = 500;

export interface Window {
  /** Start and end readings of each process. */
  server: [CpuReading, CpuReading];
  standin: [CpuReading, CpuReading];
  load: [CpuReading, CpuReading];
  /** The services the instances share (none when embedded), at the start and end. */
  services: [ServiceCpu, ServiceCpu];
  /** The server's event-loop lag over the window. */
  lag: LagSummary;
}

export interface Burst {
  sent: number;
  refused: string[];
  /** People whose first token arrived; the others' runs ended without one or were still waiting at the timeout. */
  answered: number;
  endedWithout: number;
  waiting: number;
  /** The server's event-loop lag from just before the sends until every first token arrived. */
  lag: LagSummary;
  /** From the sends until every first token arrived, ms. */
  ms: number;
  /** The server's CPU and the shared services' just before the sends and once every first token arrived. */
  server: [CpuReading, CpuReading];
  services: [ServiceCpu, ServiceCpu];
}

/**
 * Each process bounds the window by its own readings: a server that falls behind reads its CPU late,
 * so its window stretches over the tokens it was still working through, and CPU per token divides
 * the CPU and the tokens of one and the same stretch.
 */
export interface WindowStats {
  /** Tokens that reached a client between the server's two readings, per second. */
  deliveredPerSec: number;
  delivered: number;
  /** Tokens the stand-in sent between its two readings, per second: what was really offered. */
  emittedPerSec: number;
  /** Token events received ÷ tokens delivered, between the server's readings. */
  framesPerToken: number;
  /** Stand-in sent it → client received it, for tokens sent between the stand-in's readings; one never received counts as infinitely late. */
  latencyP50: number;
  latencyP99: number;
}

export interface Round {
  burst: Burst;
  window: Window;
  stats: WindowStats;
  /** The shared services' CPU once every run of the round had ended (after `results`). */
  endedServices: ServiceCpu;
  /** Every person of the round: how their run ended and what they received. */
  results: PersonResult[];
}

export interface Crowd extends AsyncDisposable {
  /** One round for the people in `range`; `answerTimeoutMs` bounds the wait for their first tokens. */
  round(range: Range, answerTimeoutMs?: number): Promise<Round>;
}

/** Starts the server side, given the settings that point it at the LLM stand-in. */
export type StartServers = (llm: Record<string, string>) => Promise<ServerGroup>;

const oneServer: StartServers = async (llm) => serverGroup([await startServerProcess(llm)]);

/**
 * A server (or `startServers`' instances), a stand-in answering at one token per `intervalMs`, and
 * `people` signed in over `loadProcesses` load generators.
 */
export async function startCrowd(
  people: number,
  loadProcesses: number,
  intervalMs: number,
  windowMs: number,
  startServers: StartServers = oneServer,
): Promise<Crowd> {
  const tokens = 1 + Math.ceil((windowMs + MARGIN_MS) / intervalMs);
  const standin = await startStandinProcess({ tokens, intervalMs, pauseAfterFirst: true });
  let server: ServerGroup | undefined;
  let load: LoadGenerator | undefined;
  const stop = async () => {
    await load?.stop();
    await server?.stop();
    await standin.stop();
  };
  try {
    const group = await startServers({ LLM_PROVIDER: 'openai', LLM_BASE_URL: standin.baseURL, LLM_MODEL: 'bench-model' });
    server = group;
    const users = await group.users(people, `p${people}`);
    load = await startLoadGenerator(group.instances[0]!.url, users, loadProcesses, (index) => group.placement(index));
  } catch (error) {
    await stop();
    throw error;
  }
  const parts = { server, standin, load };
  let rounds = 0;
  return {
    async round(range, answerTimeoutMs = RUN_TIMEOUT_MS) {
      await parts.load.follow(range, RUN_TIMEOUT_MS);
      const burst = await sendAll(parts, range, `round ${++rounds}`, answerTimeoutMs);
      const window = await measure(parts, windowMs);
      const results = await parts.load.collect(range, tokens, RUN_TIMEOUT_MS);
      const endedServices = await parts.server.services();
      const emitted = await standin.call({ type: 'emitted' });
      return { burst, window, results, endedServices, stats: windowStats(window, results, emitted) };
    },
    [Symbol.asyncDispose]: stop,
  };
}

interface Parts {
  server: ServerGroup;
  standin: StandinProcess;
  load: LoadGenerator;
}

async function sendAll({ server, load }: Parts, range: Range, label: string, timeoutMs: number): Promise<Burst> {
  await server.lagStart();
  const before = await Promise.all([server.cpu(), server.services()]);
  const began = performance.now();
  const { sent, refused } = await load.send(range, label);
  const first = await load.answered(range, timeoutMs);
  const ms = since(began);
  const after = await Promise.all([server.cpu(), server.services()]);
  const lag = await server.lagStop();
  return { sent, refused, ...first, lag, ms, server: [before[0], after[0]], services: [before[1], after[1]] };
}

/** Lets every answer waiting after its first token stream on, and measures the next `ms`. */
async function measure({ server, standin, load }: Parts, ms: number): Promise<Window> {
  const readAll = () => Promise.all([server.cpu(), standin.call({ type: 'cpu' }), load.cpu(), server.services()]);
  await server.lagStart();
  const [server0, standin0, load0, services0] = await readAll();
  await standin.call({ type: 'resume' });
  await Bun.sleep(ms);
  const [server1, standin1, load1, services1] = await readAll();
  const lag = await server.lagStop();
  return { server: [server0, server1], standin: [standin0, standin1], load: [load0, load1], services: [services0, services1], lag };
}

/** CPU a process spent between two readings, µs. */
export function cpuUs([start, end]: [CpuReading, CpuReading]): number {
  return end.user + end.system - start.user - start.system;
}

/** CPU a process spent between two readings, as % of one core. */
export function cpuPercent(readings: [CpuReading, CpuReading]): number {
  return cpuUs(readings) / 10 / (readings[1].at - readings[0].at);
}

function windowStats(window: Window, results: readonly PersonResult[], emitted: Map<string, number[]>): WindowStats {
  const [from, to] = [window.server[0].at, window.server[1].at];
  const [offeredFrom, offeredTo] = [window.standin[0].at, window.standin[1].at];
  let delivered = 0;
  let frames = 0;
  let sent = 0;
  const latencies: number[] = [];
  for (const person of results) {
    for (const at of person.tokenArrivals) if (at >= from && at <= to) delivered++;
    for (const at of person.frameArrivals) if (at >= from && at <= to) frames++;
    for (const [i, left] of (emitted.get(person.text) ?? []).entries()) {
      if (left < offeredFrom || left > offeredTo) continue;
      sent++;
      const arrived = person.tokenArrivals[i];
      latencies.push(arrived === undefined || Number.isNaN(arrived) ? Infinity : arrived - left);
    }
  }
  return {
    deliveredPerSec: delivered / ((to - from) / 1000),
    delivered,
    emittedPerSec: sent / ((offeredTo - offeredFrom) / 1000),
    framesPerToken: frames / delivered,
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
  };
}
