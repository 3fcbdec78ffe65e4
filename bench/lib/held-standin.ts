/**
 * A chat-completions stand-in in its own process (so its CPU is not counted against the server),
 * for turn-start.ts: it holds every streamed request until the parent says `release`, and tells
 * the parent over IPC once `expect` requests have arrived. Released answers are a few tokens, sent at once.
 */
import { completionResponse, eventStreamResponse, textEvents } from '../../server/llm/completion-writer.ts';

const head = { id: 'chatcmpl-held', model: 'bench-model' };

let expected = Infinity;
let arrived = 0;
let gate = Promise.withResolvers<void>();

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  idleTimeout: 120,
  async fetch(request) {
    const body = (await request.json()) as { stream?: boolean };
    if (!body.stream) return completionResponse({ ...head, created: 0 }, { content: 'title' });
    if (++arrived === expected) process.send!({ arrived });
    const held = gate.promise;
    return eventStreamResponse(
      (async function* () {
        await held;
        yield* textEvents(head, ['w0 ', 'w1 ', 'w2 ']);
      })(),
    );
  },
});

process.on('message', (message: { expect?: number; release?: true; stop?: true }) => {
  if (message.expect !== undefined) {
    expected = message.expect;
    arrived = 0;
  }
  if (message.release) {
    gate.resolve();
    gate = Promise.withResolvers<void>();
  }
  if (message.stop) void server.stop(true).then(() => process.exit(0));
});
process.send!({ baseURL: `http://127.0.0.1:${server.port}/v1` });
