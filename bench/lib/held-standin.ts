/**
 * A chat-completions stand-in in its own process (so its CPU is not counted against the server),
 * for turn-start.ts: every streamed answer sends its first token at once and holds the rest until
 * the parent asks to `release`. The first token is not held, so a server that admits only a few
 * turn starts at a time (until their first token) still starts every turn; holding the rest keeps
 * streaming out of the turn-start window.
 */
import { completionResponse, eventStreamResponse, textEvents } from '../../server/llm/completion-writer.ts';
import { serveParent, spawnIpcChild } from './ipc-child.ts';

export type HeldStandinRequest = { type: 'release' } | { type: 'cpu' } | { type: 'stop' };
export interface HeldStandinReplies {
  release: null;
  /** process.cpuUsage() of the stand-in process, µs. */
  cpu: NodeJS.CpuUsage;
  stop: null;
}

/** Starts this file in a process of its own; `ready` is its base URL. */
export async function startHeldStandin() {
  const child = await spawnIpcChild<HeldStandinRequest, HeldStandinReplies, string>(import.meta.path, { what: 'the held stand-in' });
  return { ...child, [Symbol.asyncDispose]: child.stop };
}

const TOKENS = ['w0 ', 'w1 ', 'w2 '];

function serve() {
  const head = { id: 'chatcmpl-held', model: 'bench-model' };
  let gate = Promise.withResolvers<void>();
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 120,
    async fetch(request) {
      const body = (await request.json()) as { stream?: boolean };
      if (!body.stream) return completionResponse({ ...head, created: 0 }, { content: 'title' });
      const held = gate.promise;
      let sent = 0;
      return eventStreamResponse(textEvents(head, TOKENS, () => (sent++ === 0 ? undefined : held)));
    },
  });
  serveParent<HeldStandinRequest>(async (request) => {
    switch (request.type) {
      case 'release':
        gate.resolve();
        gate = Promise.withResolvers<void>();
        return null;
      case 'cpu':
        return process.cpuUsage();
      case 'stop':
        await server.stop(true);
        return null;
    }
  }, `http://127.0.0.1:${server.port}/v1`);
}

if (import.meta.main) serve();
