/**
 * 1. Turn overhead: time to first and last token of an answer through the whole stack (typed
 * client over WebSocket → server → graph → stand-in model → back), minus the same times measured
 * by calling the stand-in directly. Turns run one at a time, so this is latency, not load.
 */
import { answerText, startLlmStandin } from './llm-standin.ts';
import { connectUser, followChat, tokensOf } from './lib/clients.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { startServerProcess } from './lib/server-process.ts';
import { percentile, since, summarise } from './lib/stats.ts';

const COMMAND = 'bun bench/turn-overhead.ts';
const TOKENS = 20;
const INTERVAL_MS = 5;
const USERS = 10;
/** Per user: the send rate limit allows a burst of 10. */
const TURNS_PER_USER = 5;
const TURN_TIMEOUT_MS = 30_000;

/** First and last token times of one streamed answer, read straight from the stand-in. */
async function direct(baseURL: string, text: string): Promise<{ first: number; last: number }> {
  const start = performance.now();
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bench-model', stream: true, messages: [{ role: 'user', content: text }] }),
    signal: AbortSignal.timeout(TURN_TIMEOUT_MS),
  });
  let first = Number.NaN;
  let last = Number.NaN;
  let buffered = '';
  const decoder = new TextDecoder();
  for await (const bytes of response.body!) {
    buffered += decoder.decode(bytes, { stream: true });
    const events = buffered.split('\n\n');
    buffered = events.pop() ?? '';
    for (const event of events) {
      if (!event.includes('"content":"w')) continue;
      last = since(start);
      if (Number.isNaN(first)) first = last;
    }
  }
  return { first, last };
}

async function turnOverhead(): Promise<Figure[]> {
  await using standin = startLlmStandin({ tokens: TOKENS, intervalMs: INTERVAL_MS });
  await using server = await startServerProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: standin.baseURL, LLM_MODEL: 'bench-model' });
  const users = (await server.call({ type: 'users', count: USERS, prefix: 'turn' })).map((u) => connectUser(server.url, u));
  const stack = { first: [] as number[], last: [] as number[] };
  const failures: string[] = [];
  try {
    const chats = await Promise.all(users.map((u) => u.client.api.chats.create.mutate({ title: 'bench', enabledServers: [] })));
    for (let turn = 0; turn < TURNS_PER_USER; turn++) {
      for (const [i, user] of users.entries()) {
        const running = await followChat(user, chats[i]!.id, TURN_TIMEOUT_MS);
        await running.send(`turn u${i} t${turn}`);
        const status = await running.finished;
        const tokens = tokensOf(running);
        if (status !== 'idle' || tokens.map((t) => t.delta).join('') !== answerText(TOKENS)) failures.push(`u${i} t${turn}: ${status}`);
        // The first turn of the run warms up the server's code paths; it is not counted.
        if (turn === 0 && i === 0) continue;
        stack.first.push(tokens[0]!.at - running.sentAt);
        stack.last.push(tokens.at(-1)!.at - running.sentAt);
      }
    }
  } finally {
    await Promise.all(users.map((u) => u.client.close()));
  }
  const straight = { first: [] as number[], last: [] as number[] };
  for (let i = 0; i < stack.first.length + 1; i++) {
    const { first, last } = await direct(standin.baseURL, `direct ${i}`);
    if (i === 0) continue;
    straight.first.push(first);
    straight.last.push(last);
  }

  const out = figures('1 turn overhead', COMMAND);
  const shape = `${TOKENS} tokens, one every ${INTERVAL_MS} ms; ${stack.first.length} turns one at a time`;
  for (const which of ['first', 'last'] as const) {
    const s = summarise(stack[which]);
    const d = summarise(straight[which]);
    out.add(`time to ${which} token, whole stack`, `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)}`, 'ms p50 / p99', shape);
    out.add(`time to ${which} token, stand-in direct`, `${d.p50.toFixed(1)} / ${d.p99.toFixed(1)}`, 'ms p50 / p99');
    out.add(
      `added by the stack, ${which} token`,
      `${(s.p50 - d.p50).toFixed(1)} / ${(percentile(stack[which], 99) - percentile(straight[which], 99)).toFixed(1)}`,
      'ms p50 / p99',
    );
  }
  out.add('turns that failed or lost tokens', failures.length, '', failures.slice(0, 3).join('; ') || undefined);
  return out.list;
}

await runAlone(turnOverhead);
