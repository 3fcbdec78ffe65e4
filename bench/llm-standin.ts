/**
 * A stand-in for an OpenAI-compatible chat-completions server that streams at a fixed rate, on
 * loopback. Token i of every answer is the text `w<i> `, so a client can check the sequence; the
 * time each token left is recorded per stream (clock(), the same in every process), keyed by the
 * last user message, so a client can compute each token's delivery latency. Token i of a stream is
 * due `(i + 1) × intervalMs` after the stream began, not after the previous token, so a late timer
 * does not slow the stream down. Optionally, with `pauseAfterFirst`, it sends each stream's first
 * token at once and the rest only after `resume()`, so a burst of turn starts can be measured apart
 * from the streaming that follows it, or many streams proved to be in flight together. bench/lib/standin-process.ts runs it in a process
 * of its own.
 */
import { completionResponse, eventStreamResponse, textEvents } from '../server/llm/completion-writer.ts';
import { clock } from './lib/stats.ts';

export interface AnswerShape {
  tokens: number;
  /** Pause before each token; 0 streams as fast as the socket takes it. */
  intervalMs: number;
}

export interface StandinOptions extends AnswerShape {
  /** Each stream's first token at once, the rest after `resume()`. */
  pauseAfterFirst?: boolean;
}

export interface LlmStandin extends AsyncDisposable {
  readonly baseURL: string;
  /** Emission times (performance.now()) of each stream's tokens, by the last user message's text. */
  readonly emitted: Map<string, number[]>;
  readonly stats: { requests: number; inFlight: number; maxInFlight: number };
  setAnswer(shape: AnswerShape): void;
  /** With `pauseAfterFirst`: streams paused now go on, paced from this moment; later streams pause again. */
  resume(): void;
  stop(): Promise<void>;
}

export function tokenText(index: number): string {
  return `w${index} `;
}

export function answerText(tokens: number): string {
  return Array.from({ length: tokens }, (_, i) => tokenText(i)).join('');
}

function* tokens(count: number): Generator<string> {
  for (let i = 0; i < count; i++) yield tokenText(i);
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
  let resumed = Promise.withResolvers<void>();

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
        return completionResponse(
          { id: 'chatcmpl-standin', model: body.model },
          { content: answerText(Math.min(3, answer.tokens)) },
          { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        );
      }
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      const times: number[] = [];
      emitted.set(key, times);
      const head = { id: `chatcmpl-standin-${stats.requests}`, model: body.model };
      const pause = options.pauseAfterFirst ? resumed.promise : undefined;
      let finished = false;
      const done = () => {
        if (!finished) stats.inFlight--;
        finished = true;
      };
      async function* events() {
        try {
          let pacedFrom = clock();
          let paced = 0;
          yield* textEvents(head, tokens(answer.tokens), async () => {
            if (pause && times.length === 0) return void times.push(clock());
            if (pause && times.length === 1) {
              await pause;
              pacedFrom = clock();
            }
            const due = pacedFrom + ++paced * answer.intervalMs;
            if (answer.intervalMs > 0) await Bun.sleep(Math.max(0, due - clock()));
            times.push(clock());
          });
        } finally {
          done();
        }
      }
      return eventStreamResponse(events(), done);
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
    resume: () => {
      resumed.resolve();
      resumed = Promise.withResolvers<void>();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function lastUserText(body: RequestBody): string {
  const user = body.messages.filter((m) => m.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
}
