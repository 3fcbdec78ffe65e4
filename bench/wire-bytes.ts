/**
 * 7a. Bytes on the wire per streamed token, for a 100-token and a 2000-token answer: the cost of a
 * token must not grow with the answer. Read from a plain WebSocket speaking tRPC's JSON protocol
 * (the typed client hides frames), counting each server frame's payload plus its WebSocket header
 * (2 bytes up to 125 bytes of payload, 4 up to 64 KiB, 10 above; no masking server → client).
 * TCP/IP headers are not counted.
 */
import { answerText, startLlmStandin } from './llm-standin.ts';
import { connectUser } from './lib/clients.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { startServerProcess } from './lib/server-process.ts';
import { mean, within } from './lib/stats.ts';

const COMMAND = 'bun bench/wire-bytes.ts';
const LENGTHS = [100, 2000];
const TURN_TIMEOUT_MS = 60_000;

function frameBytes(payload: number): number {
  return payload + (payload <= 125 ? 2 : payload <= 0xffff ? 4 : 10);
}

interface Frame {
  bytes: number;
  type: string;
}

/** Subscribes over a raw socket, sends one message, and returns every frame of the answer. */
async function framesOfOneTurn(
  url: string,
  cookie: string,
  chatId: string,
  cursor: string,
  send: () => Promise<unknown>,
): Promise<Frame[]> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/trpc`, { headers: { cookie, origin: url } } as unknown as string[]);
  const frames: Frame[] = [];
  const started = Promise.withResolvers<void>();
  const done = Promise.withResolvers<void>();
  socket.onmessage = ({ data }) => {
    const text = String(data);
    // Tracked events arrive as { id, data: event }.
    const message = JSON.parse(text) as { result?: { type?: string; data?: { data?: { type?: string; state?: { status?: string } } } } };
    if (message.result?.type === 'started') return started.resolve();
    const event = message.result?.data?.data;
    frames.push({ bytes: frameBytes(Buffer.byteLength(text)), type: event?.type ?? 'other' });
    if (event?.type === 'run_state' && event.state?.status !== 'running') done.resolve();
  };
  socket.onclose = () => done.reject(new Error('socket closed'));
  await within(new Promise((resolve) => (socket.onopen = resolve)), 10_000, 'socket open');
  socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chats.events', input: { chatId, lastEventId: cursor } } }));
  await within(started.promise, 10_000, 'subscription start');
  await send();
  await within(done.promise, TURN_TIMEOUT_MS, 'answer');
  socket.onclose = null;
  socket.close();
  return frames;
}

async function wireBytes(): Promise<Figure[]> {
  await using standin = startLlmStandin({ tokens: LENGTHS[0]!, intervalMs: 0 });
  await using server = await startServerProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: standin.baseURL, LLM_MODEL: 'bench-model' });
  const [signedIn] = await server.call({ type: 'users', count: 1, prefix: 'wire' });
  const user = connectUser(server.url, signedIn!);
  const out = figures('7a bytes per token', COMMAND);
  try {
    for (const tokens of LENGTHS) {
      standin.setAnswer({ tokens, intervalMs: 0 });
      const chat = await user.client.api.chats.create.mutate({ title: 'bench', enabledServers: [] });
      const { cursor } = await user.client.api.chats.get.query({ chatId: chat.id });
      const frames = await framesOfOneTurn(server.url, user.cookie, chat.id, cursor, () =>
        user.client.api.chats.send.mutate({ chatId: chat.id, text: `wire ${tokens}` }),
      );
      const tokenFrames = frames.filter((f) => f.type === 'token');
      const all = frames.reduce((sum, f) => sum + f.bytes, 0);
      const { history } = await user.client.api.chats.get.query({ chatId: chat.id });
      const complete = history.messages.at(-1)?.text === answerText(tokens) && tokenFrames.length === tokens;
      const range = `${Math.min(...tokenFrames.map((f) => f.bytes))}–${Math.max(...tokenFrames.map((f) => f.bytes))} bytes per frame`;
      out.add(
        `${tokens}-token answer: token frame`,
        mean(tokenFrames.map((f) => f.bytes)),
        'bytes',
        `${range}; delta itself ${(answerText(tokens).length / tokens).toFixed(1)} characters on average`,
      );
      out.add(
        `${tokens}-token answer: whole turn ÷ tokens`,
        all / tokens,
        'bytes',
        `${frames.length} frames incl. run state and the final message${complete ? '' : '; INCOMPLETE'}`,
      );
    }
  } finally {
    await user.client.close();
  }
  return out.list;
}

await runAlone(wireBytes);
