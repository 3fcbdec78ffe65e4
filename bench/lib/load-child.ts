/**
 * A load generator: people using the server through the typed client over its WebSocket
 * (clients.ts), in a process of their own so the CPU spent following chats and sending is neither
 * the server's nor the bench's; it reports that CPU. Driven by load-generator.ts, which spreads the
 * people over several of these. People are numbered across all load generators; every request
 * names a range of those numbers and each process acts on the people it has in that range.
 */
import { answerText } from '../llm-standin.ts';
import { checkStream, connectUser, followChat, tokensOf, type BenchUser, type StreamCheck, type Turn } from './clients.ts';
import { directAnswer } from './direct-answer.ts';
import { serveParent } from './ipc-child.ts';
import type { SignedInUser } from './server-child.ts';
import { clock, mapLimit, within } from './stats.ts';

/** Requests at once per process while setting up: enough to be quick, few enough not to be a burst. */
const SETUP_CONCURRENCY = 25;
const TOKEN = /w(\d+) /g;

export interface Range {
  from: number;
  to: number;
}

/** Where a person reaches the server: one URL, or in cluster mode the instances they send and follow through. */
export interface Placement {
  /** Their sends, and so their runs, and their setup go here. */
  send: string;
  /** Their chat's events are followed here. */
  follow: string;
  /** The Origin their clients send: the app's public address. */
  origin: string;
}

export type LoadRequest =
  | { type: 'connect'; people: { index: number; user: SignedInUser; placement: Placement }[] }
  | ({ type: 'follow'; timeoutMs: number } & Range)
  | ({ type: 'send'; label: string } & Range)
  | ({ type: 'answered'; timeoutMs: number } & Range)
  | ({ type: 'collect'; tokens: number; timeoutMs: number } & Range)
  | { type: 'ttft'; standinURL: string; rounds: number; tokens: number; timeoutMs: number }
  | { type: 'cpu' }
  | { type: 'stop' };

/** One person's turn as it arrived. */
export interface PersonResult {
  index: number;
  /** Their last message, which is also the stand-in's key for the answer's emission times. */
  text: string;
  /** How the run ended: idle, failed, …, or why there was no run. */
  status: string;
  check: StreamCheck;
  /** Arrival time (clock(), ms) of token i at index i; NaN for a token that never arrived. */
  tokenArrivals: Float64Array;
  /** Arrival time of each token event (one WebSocket frame each). */
  frameArrivals: Float64Array;
}

export interface TtftPair {
  /** Time to first / last token, ms: straight from the stand-in, then through the whole stack. */
  direct: { first: number; last: number };
  stack: { first: number; last: number };
  ok: boolean;
}

export interface LoadReplies {
  connect: { chats: number };
  follow: { following: number };
  send: { sent: number; refused: string[] };
  /** Of the people in the range who sent: how many got a first token, how many runs ended without one, how many still wait. */
  answered: { answered: number; endedWithout: number; waiting: number };
  collect: PersonResult[];
  ttft: TtftPair[];
  cpu: { user: number; system: number; at: number };
  stop: null;
}

interface Person {
  index: number;
  user: BenchUser;
  /** Their client on the instance they follow through; `user` when that is where they send. */
  follower: BenchUser;
  chatId: string;
  text?: string;
  /** The turn followed now; each `follow` starts a new one. */
  turn?: Turn;
  /** Settles once the run's first token arrived or it ended without one; set once the send was accepted. */
  outcome?: Promise<unknown>;
  answer?: 'answered' | 'endedWithout';
  /** Settles when the run has ended; set once the send was accepted. */
  ending?: Promise<unknown>;
  status?: string;
}

const people: Person[] = [];

function inRange({ from, to }: Range): Person[] {
  return people.filter((p) => p.index >= from && p.index < to);
}

async function connect(list: Extract<LoadRequest, { type: 'connect' }>['people']) {
  const connected = await mapLimit(list, SETUP_CONCURRENCY, async ({ index, user, placement }) => {
    const benchUser = connectUser(placement.send, user, placement.origin);
    const follower = placement.follow === placement.send ? benchUser : connectUser(placement.follow, user, placement.origin);
    // As the web chat does after sign-in: `initialize` builds each person's handlers (their graph) before they chat.
    await benchUser.client.api.session.initialize.mutate();
    const chat = await benchUser.client.api.chats.create.mutate({ title: 'bench', enabledServers: [] });
    return { index, user: benchUser, follower, chatId: chat.id };
  });
  people.push(...connected);
  return { chats: connected.length };
}

async function follow(range: Range, timeoutMs: number) {
  await mapLimit(inRange(range), SETUP_CONCURRENCY, async (person) => {
    person.turn = await followChat(person.follower, person.chatId, timeoutMs, person.user);
    person.outcome = person.answer = person.ending = person.status = person.text = undefined;
  });
  return { following: inRange(range).filter((p) => p.turn).length };
}

async function send(range: Range, label: string) {
  const refused: string[] = [];
  const sending = inRange(range).filter((p) => p.turn);
  await Promise.all(
    sending.map(async (person) => {
      const turn = person.turn!;
      person.text = `${label} ${person.index}`;
      try {
        await turn.send(person.text);
        person.outcome = Promise.race([
          turn.firstToken.then(() => 'answered' as const),
          turn.finished.then(() => 'endedWithout' as const),
        ]).then(
          (answer) => {
            person.answer = answer;
          },
          () => {
            person.answer = 'endedWithout';
          },
        );
        person.ending = turn.finished.then(
          (status) => {
            person.status = status;
          },
          (error: unknown) => {
            person.status = `error: ${error instanceof Error ? error.message : error}`;
          },
        );
      } catch (error) {
        refused.push(error instanceof Error ? error.message : String(error));
      }
    }),
  );
  return { sent: sending.length - refused.length, refused: refused.slice(0, 3) };
}

async function answered(range: Range, timeoutMs: number) {
  const sent = inRange(range).filter((p) => p.outcome);
  await within(Promise.all(sent.map((p) => p.outcome)), timeoutMs, 'first tokens').catch(() => undefined);
  const count = (answer: Person['answer']) => sent.filter((p) => p.answer === answer).length;
  return { answered: count('answered'), endedWithout: count('endedWithout'), waiting: count(undefined) };
}

/** Waits (bounded) for the runs in `range` to end; each answer should have had `count` tokens. */
async function collect(range: Range, count: number, timeoutMs: number): Promise<PersonResult[]> {
  const collected = inRange(range);
  await within(Promise.all(collected.map((p) => p.ending)), timeoutMs, 'runs to end').catch(() => undefined);
  return collected.map((person) => {
    const tokens = person.turn ? tokensOf(person.turn) : [];
    const tokenArrivals = new Float64Array(count).fill(Number.NaN);
    for (const { at, delta } of tokens) {
      for (const match of delta.matchAll(TOKEN)) {
        const i = Number(match[1]);
        if (i < count && Number.isNaN(tokenArrivals[i]!)) tokenArrivals[i] = at;
      }
    }
    return {
      index: person.index,
      text: person.text ?? '',
      status: person.ending ? (person.status ?? 'did not end') : person.turn ? 'not sent' : 'not followed',
      check: person.turn ? checkStream(person.turn, count) : { lost: count, duplicated: 0, outOfOrder: 0 },
      tokenArrivals,
      frameArrivals: Float64Array.from(tokens, (t) => t.at),
    };
  });
}

/** Pairs of one answer straight from the stand-in then one through the whole stack, one at a time, person by person. */
async function ttft(standinURL: string, rounds: number, tokens: number, timeoutMs: number): Promise<TtftPair[]> {
  const pairs: TtftPair[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const person of people) {
      const direct = await directAnswer(standinURL, `direct ${person.index} ${round}`, timeoutMs);
      const turn = await followChat(person.user, person.chatId, timeoutMs);
      await turn.send(`ttft ${person.index} ${round}`);
      const status = await turn.finished.catch(() => 'error');
      const arrived = tokensOf(turn);
      pairs.push({
        direct,
        stack: { first: (arrived[0]?.at ?? Number.NaN) - turn.sentAt, last: (arrived.at(-1)?.at ?? Number.NaN) - turn.sentAt },
        ok: status === 'idle' && arrived.map((t) => t.delta).join('') === answerText(tokens),
      });
    }
  }
  return pairs;
}

async function answer(request: LoadRequest): Promise<LoadReplies[LoadRequest['type']]> {
  switch (request.type) {
    case 'connect':
      return connect(request.people);
    case 'follow':
      return follow(request, request.timeoutMs);
    case 'send':
      return send(request, request.label);
    case 'answered':
      return answered(request, request.timeoutMs);
    case 'collect':
      return collect(request, request.tokens, request.timeoutMs);
    case 'ttft':
      return ttft(request.standinURL, request.rounds, request.tokens, request.timeoutMs);
    case 'cpu':
      return { ...process.cpuUsage(), at: clock() };
    case 'stop':
      await Promise.all(people.flatMap((p) => [...new Set([p.user, p.follower])].map((u) => u.client.close())));
      return null;
  }
}

serveParent(answer, null);
