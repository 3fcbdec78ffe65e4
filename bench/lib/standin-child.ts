/**
 * The LLM stand-in (llm-standin.ts) in a process of its own, driven by standin-process.ts, so the
 * CPU it spends streaming is neither the server's nor the load generator's, and it reports that CPU.
 * Its options come as JSON in the first argument.
 */
import { startLlmStandin, type StandinOptions } from '../llm-standin.ts';
import { serveParent } from './ipc-child.ts';
import { clock } from './stats.ts';

export type StandinRequest = { type: 'cpu' } | { type: 'emitted' } | { type: 'resume' } | { type: 'stats' } | { type: 'stop' };

export interface StandinReplies {
  /** process.cpuUsage() of the stand-in, µs, and when it was read (clock(), ms). */
  cpu: { user: number; system: number; at: number };
  /** When each token of each stream left (clock(), ms), by the stream's last user message. */
  emitted: Map<string, number[]>;
  resume: null;
  stats: { requests: number; inFlight: number; maxInFlight: number };
  stop: null;
}

const standin = startLlmStandin(JSON.parse(process.argv[2]!) as StandinOptions);

async function answer(request: StandinRequest): Promise<StandinReplies[StandinRequest['type']]> {
  switch (request.type) {
    case 'cpu':
      return { ...process.cpuUsage(), at: clock() };
    case 'emitted':
      return standin.emitted;
    case 'resume':
      standin.resume();
      return null;
    case 'stats':
      return standin.stats;
    case 'stop':
      await standin.stop();
      return null;
  }
}

serveParent(answer, standin.baseURL);
