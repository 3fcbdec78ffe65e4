/**
 * 7a. Bytes on the wire per streamed token, for a 100-token and a 2000-token answer: the cost of a
 * token must not grow with the answer. A TCP proxy in this process sits between a WebSocket client
 * and the server and counts the bytes the server sends on that connection, WebSocket frames as they
 * travel (compressed or not, headers included; TCP/IP headers not), from the subscription's start
 * until the run has ended, divided by the answer's tokens. Each length is measured twice: with Bun's
 * WebSocket, which offers permessage-deflate as browsers do, and with the offer turned off, as a
 * client without compression gets it. The stand-in paces its tokens so that each one travels in a
 * frame of its own, as at a model's speed on an idle server: the most a token can cost on the wire.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { answerText, startLlmStandin } from './llm-standin.ts';
import { connectUser } from './lib/clients.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { startServerProcess } from './lib/server-process.ts';
import { within } from './lib/stats.ts';

const COMMAND = 'bun bench/wire-bytes.ts';
const LENGTHS = [100, 2000];
/** Long enough that the server sends each token before the next one arrives. */
const INTERVAL_MS = 10;
const TURN_TIMEOUT_MS = 120_000;

interface CountingProxy extends AsyncDisposable {
  /** ws:// URL of the proxy. */
  readonly url: string;
  /** Bytes the server has sent through the proxy so far. */
  received(): number;
  /** The Sec-WebSocket-Extensions header of the server's handshake answer, if any. */
  extensions(): string | undefined;
}

/** A TCP proxy on loopback to `target` that counts what the server sends back. */
async function countingProxy(target: URL): Promise<CountingProxy> {
  let received = 0;
  let handshake: string | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      handshake ??= chunk.toString('latin1').split('\r\n\r\n')[0];
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    received: () => received,
    extensions: () => /^sec-websocket-extensions: *(.*)$/im.exec(handshake ?? '')?.[1],
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface TurnOnTheWire {
  bytes: number;
  tokenFrames: number;
  text: string;
  extensions: string | undefined;
}

interface Message {
  result?: { type?: string; data?: { data?: { type?: string; delta?: string; state?: { status?: string } } } };
}

/** Subscribes through the proxy speaking tRPC's JSON protocol, sends one message, and counts the answer's bytes. */
async function oneTurn(
  serverUrl: string,
  cookie: string,
  chat: { id: string; cursor: string },
  compression: boolean,
  send: () => Promise<unknown>,
): Promise<TurnOnTheWire> {
  await using proxy = await countingProxy(new URL(serverUrl));
  // Bun's own options argument: headers (a browser sends its cookie and Origin itself) and whether to offer permessage-deflate.
  const options = { headers: { cookie, origin: serverUrl }, perMessageDeflate: compression };
  const socket = new WebSocket(`${proxy.url}/trpc`, options as unknown as string[]);
  const started = Promise.withResolvers<void>();
  const done = Promise.withResolvers<void>();
  let text = '';
  let tokenFrames = 0;
  socket.onmessage = ({ data }) => {
    const message = JSON.parse(String(data)) as Message;
    if (message.result?.type === 'started') return started.resolve();
    // Tracked events arrive as { id, data: event }.
    const event = message.result?.data?.data;
    if (event?.type === 'token') {
      tokenFrames++;
      text += event.delta;
    }
    if (event?.type === 'run_state' && (event.state?.status === 'idle' || event.state?.status === 'failed')) done.resolve();
  };
  socket.onclose = () => done.reject(new Error('socket closed'));
  await within(new Promise((resolve) => (socket.onopen = resolve)), 10_000, 'socket open');
  socket.send(
    JSON.stringify({
      id: 1,
      method: 'subscription',
      params: { path: 'chats.events', input: { chatId: chat.id, lastEventId: chat.cursor } },
    }),
  );
  await within(started.promise, 10_000, 'subscription start');
  const before = proxy.received();
  await send();
  await within(done.promise, TURN_TIMEOUT_MS, 'answer');
  const bytes = proxy.received() - before;
  socket.onclose = null;
  socket.close();
  return { bytes, tokenFrames, text, extensions: proxy.extensions() };
}

async function wireBytes(): Promise<Figure[]> {
  await using standin = startLlmStandin({ tokens: LENGTHS[0]!, intervalMs: INTERVAL_MS });
  await using server = await startServerProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: standin.baseURL, LLM_MODEL: 'bench-model' });
  const [signedIn] = await server.call({ type: 'users', count: 1, prefix: 'wire' });
  const user = connectUser(server.url, signedIn!);
  const out = figures('7a bytes per token', COMMAND);
  try {
    for (const compression of [false, true]) {
      for (const tokens of LENGTHS) {
        standin.setAnswer({ tokens, intervalMs: INTERVAL_MS });
        const created = await user.client.api.chats.create.mutate({ title: 'bench', enabledServers: [] });
        const { cursor } = await user.client.api.chats.get.query({ chatId: created.id });
        const turn = await oneTurn(server.url, user.cookie, { id: created.id, cursor }, compression, () =>
          user.client.api.chats.send.mutate({ chatId: created.id, text: `wire ${tokens}` }),
        );
        const complete = turn.text === answerText(tokens);
        const client = compression ? 'client offering permessage-deflate' : 'client without compression';
        out.add(
          `${tokens}-token answer, ${client}: whole turn ÷ tokens`,
          turn.bytes / tokens,
          'bytes',
          // Under load the server merges tokens into fewer frames, which makes each token cheaper: the frame count says how many.
          `${turn.tokenFrames} token frames (whole turn ÷ token frames: ${Math.round(turn.bytes / turn.tokenFrames)} bytes); server answered ${turn.extensions ?? 'no extension'}${complete ? '' : '; INCOMPLETE'}`,
          compression && tokens === LENGTHS.at(-1) ? 'bytesPerToken' : undefined,
        );
      }
    }
  } finally {
    await user.client.close();
  }
  return out.list;
}

await runAlone(wireBytes);
