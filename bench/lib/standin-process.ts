/** Starts the LLM stand-in in its own process (standin-child.ts); its answers stream from there. */
import { join } from 'node:path';
import type { StandinOptions } from '../llm-standin.ts';
import { spawnIpcChild, type IpcChild } from './ipc-child.ts';
import type { StandinReplies, StandinRequest } from './standin-child.ts';

export interface StandinProcess extends IpcChild<StandinRequest, StandinReplies>, AsyncDisposable {
  readonly baseURL: string;
}

export async function startStandinProcess(options: StandinOptions): Promise<StandinProcess> {
  const child = await spawnIpcChild<StandinRequest, StandinReplies, string>(join(import.meta.dir, 'standin-child.ts'), {
    what: 'the LLM stand-in process',
    args: [JSON.stringify(options)],
  });
  return { ...child, baseURL: child.ready, [Symbol.asyncDispose]: child.stop };
}
