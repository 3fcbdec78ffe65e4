/**
 * A stand-in for an OpenAI-compatible chat-completions server that streams at a fixed rate, on
 * loopback. Token i of every answer is the text `w<i> `, so a client can check the sequence; the
 * time each token left is recorded per stream, keyed by the last user message, so a client in the
 * same process can compute each token's delivery latency. Optionally it holds every stream until
 * `holdUntil` requests are in flight at once, to prove that many really were.
 */
export interface AnswerShape {
  tokens: number;
  /** Pause before each token; 0 streams as fast as the socket takes it. */
  intervalMs: number;
}

export interface StandinOptions extends AnswerShape {
  /** Streams wait until this many requests are in flight (or `holdTimeoutMs` passes). */
  holdUntil?: number;
  holdTimeoutMs?: number;
}

export interface LlmStandin extends AsyncDisposable {
  readonly baseURL: string;
  /** Emission times (performance.now()) of each stream's tokens, by the last user message's text. */
  readonly emitted: Map<string, number[]>;
  readonly stats: { requests: number; inFlight: number; maxInFlight: number };
  setAnswer(shape: AnswerShape): void;
  stop(): Promise<void>;
}

const encoder = new TextEncoder();
const sse = (data: unknown) => encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

export function tokenText(index: number): string {
  return `w${index} `;
}

export function answerText(tokens: number): string {
  return Array.from({ length: tokens }, (_, i) => tokenText(i)).join('');
}

interface RequestBody {
  model: string;
  stream?: boolean;
  messages: { role: string; content: unknown }[];
}

export function startLlmStandin(options: StandinOptions): LlmStandin {
  let shape: AnswerShape = { tokens: options.tokens, intervalMs: options.intervalMs };
  const emitted = new Map<string, number[]>();
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0 };
  const released = Promise.withResolvers<void>();
  if (!options.holdUntil) released.resolve();
  else setTimeout(() => released.resolve(), options.holdTimeoutMs ?? 30_000).unref();

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    // Streams may pause for long stretches while held; Bun's default 10 s idle timeout would cut them.
    idleTimeout: 120,
    async fetch(request) {
      if (request.method !== 'POST' || new URL(request.url).pathname !== '/v1/chat/completions') {
        return Response.json({ error: { message: 'not found' } }, { status: 404 });
      }
      const body = (await request.json()) as RequestBody;
      stats.requests++;
      const key = lastUserText(body);
      const answer = shape;
      if (!body.stream) {
        // Non-streamed calls (chat titles) get a short answer at once.
        return Response.json(completion(body.model, answerText(Math.min(3, answer.tokens))));
      }
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      if (options.holdUntil && stats.inFlight >= options.holdUntil) released.resolve();
      const times: number[] = [];
      emitted.set(key, times);
      const id = `chatcmpl-standin-${stats.requests}`;
      let finished = false;
      const done = () => {
        if (!finished) stats.inFlight--;
        finished = true;
      };
      return new Response(
        new ReadableStream({
          async pull(controller) {
            try {
              await released.promise;
              controller.enqueue(sse(chunk(id, body.model, { role: 'assistant', content: '' })));
              for (let i = 0; i < answer.tokens; i++) {
                if (answer.intervalMs > 0) await Bun.sleep(answer.intervalMs);
                times.push(performance.now());
                controller.enqueue(sse(chunk(id, body.model, { content: tokenText(i) })));
              }
              controller.enqueue(sse(chunk(id, body.model, {}, 'stop')));
              controller.enqueue(sse('[DONE]'));
              controller.close();
            } catch {
              // The client went away; nothing more to send.
            } finally {
              done();
            }
          },
          cancel: done,
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    },
  });

  const stop = async () => {
    await server.stop(true);
  };
  return {
    baseURL: `http://127.0.0.1:${server.port}/v1`,
    emitted,
    stats,
    setAnswer: (next) => {
      shape = next;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function lastUserText(body: RequestBody): string {
  const user = body.messages.filter((m) => m.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
}

function chunk(id: string, model: string, delta: Record<string, unknown>, finishReason: string | null = null) {
  return { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

function completion(model: string, content: string) {
  return {
    id: 'chatcmpl-standin',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}
