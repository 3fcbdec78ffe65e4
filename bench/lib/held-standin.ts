/**
 * A chat-completions stand-in in its own process (so its CPU is not counted against the server),
 * for turn-start.ts: it holds every streamed request until the parent says `release`, and tells
 * the parent over IPC once `expect` requests have arrived. Released answers are a few tokens, sent at once.
 */
const encoder = new TextEncoder();
const sse = (data: unknown) => encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-held',
  object: 'chat.completion.chunk',
  created: Math.floor(Date.now() / 1000),
  model: 'bench-model',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

let expected = Infinity;
let arrived = 0;
let gate = Promise.withResolvers<void>();

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  idleTimeout: 120,
  async fetch(request) {
    const body = (await request.json()) as { stream?: boolean };
    if (!body.stream) {
      return Response.json({
        id: 'chatcmpl-held',
        object: 'chat.completion',
        created: 0,
        model: 'bench-model',
        choices: [{ index: 0, message: { role: 'assistant', content: 'title' }, finish_reason: 'stop' }],
      });
    }
    if (++arrived === expected) process.send!({ arrived });
    const held = gate.promise;
    return new Response(
      new ReadableStream({
        async pull(controller) {
          await held;
          controller.enqueue(sse(chunk({ role: 'assistant', content: '' })));
          for (let i = 0; i < 3; i++) controller.enqueue(sse(chunk({ content: `w${i} ` })));
          controller.enqueue(sse(chunk({}, 'stop')));
          controller.enqueue(sse('[DONE]'));
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
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
