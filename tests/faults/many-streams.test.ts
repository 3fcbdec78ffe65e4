/**
 * More people streaming at once than Bun's default cap on outgoing requests (256): each streaming
 * answer holds one request to the model. The stand-in model sends each stream's first token (which
 * ends the turn's start, so turn-start admission lets the next one in) and holds the rest until 300
 * requests are in flight together, so the test proves they were; then each of the 300 people gets
 * their whole answer. The server runs in its own process, started with the cap raised as
 * `npm start` does (the cap is read only at process start).
 */
import { expect, test } from 'bun:test';
import { answerText, startLlmStandin } from '../../bench/llm-standin.ts';
import { connectUser, followChat, tokensOf } from '../../bench/lib/clients.ts';
import { startServerProcess } from '../../bench/lib/server-process.ts';
import { mapLimit } from '../../bench/lib/stats.ts';
import { eventually } from '../support/eventually.ts';

const PEOPLE = 300;
const TOKENS = 20;

test(`${PEOPLE} people streaming at once, past Bun's default 256 outgoing requests: every answer arrives whole`, async () => {
  await using model = startLlmStandin({ tokens: TOKENS, intervalMs: 10, pauseAfterFirst: true });
  await using server = await startServerProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_MODEL: 'stand-in' });
  const people = (await server.call({ type: 'users', count: PEOPLE, prefix: 'stream' })).map((u) => connectUser(server.url, u));
  try {
    const turns = await mapLimit(people, 50, async (person) => {
      const chat = await person.client.api.chats.create.mutate({ title: 'Many streams', enabledServers: [] });
      return followChat(person, chat.id, 60_000);
    });
    await Promise.all(turns.map((turn, i) => turn.send(`question from person ${i}`)));
    await eventually(() => model.stats.inFlight === PEOPLE || undefined, `${PEOPLE} answers streaming at once`, 60_000);
    model.resume();
    const outcomes = await Promise.all(turns.map((turn) => turn.finished));

    expect(model.stats.maxInFlight).toBe(PEOPLE);
    expect(outcomes.filter((status) => status !== 'idle')).toEqual([]);
    const incomplete = turns.filter(
      (turn) =>
        tokensOf(turn)
          .map((t) => t.delta)
          .join('') !== answerText(TOKENS),
    );
    expect(incomplete).toHaveLength(0);
  } finally {
    await Promise.all(people.map((person) => person.client.close()));
  }
}, 60_000);
