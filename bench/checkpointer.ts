/**
 * 4. Checkpointer: BunSqliteSaver beside the official SqliteSaver (on bun:sqlite through an
 * adapter), on the same workload: a graph with the agent's own state schema (AgentState), whose
 * one node answers each person's message, so every turn checkpoints like a chat turn without a
 * model. Reported: put / getTuple / list / getState throughput, the cost of one turn's puts on a
 * 10-message and a 1000-message thread, and the database size after 300 turns.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { END, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import type { Database } from 'bun:sqlite';
import { BunSqliteSaver } from '../db/checkpointer/bun-sqlite-saver.ts';
import { AgentState } from '../server/agent/state.ts';
import { officialSqliteSaver } from './lib/official-saver.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { mean, since } from './lib/stats.ts';

const COMMAND = 'bun bench/checkpointer.ts';
const SIZE_TURNS = 300;
/** Two messages a turn: 500 turns make the 1000-message thread. */
const LONG_TURNS = 500;
const SHORT_THREADS = 20;
const TIMED_TURNS = 10;
const READS = 200;
/** No loop of this file runs longer than this; what it did by then is what it reports. */
const LOOP_BUDGET_MS = 20_000;

const USER_TEXT = 'Could you summarise what we decided about the release plan, and who does what next week? ';
const ANSWER_TEXT = 'Here is the summary. '.repeat(25);

interface Contender {
  saver: BaseCheckpointSaver;
  /** The SQLite connection, for the size measurement. */
  db: Database;
  path: string;
}

function buildGraph(saver: BaseCheckpointSaver) {
  let replies = 0;
  return new StateGraph(AgentState)
    .addNode('reply', () => ({ messages: [new AIMessage({ id: `ai-${++replies}`, content: ANSWER_TEXT })] }))
    .addEdge(START, 'reply')
    .addEdge('reply', END)
    .compile({ checkpointer: saver });
}

/** Wraps `saver.put` to record how long each call took. */
function timePuts(saver: BaseCheckpointSaver): number[] {
  const samples: number[] = [];
  const put = saver.put.bind(saver);
  saver.put = async (...args) => {
    const start = performance.now();
    try {
      return await put(...args);
    } finally {
      samples.push(since(start));
    }
  };
  return samples;
}

async function turns(graph: ReturnType<typeof buildGraph>, threadId: string, count: number): Promise<number> {
  const deadline = performance.now() + LOOP_BUDGET_MS;
  let done = 0;
  for (; done < count && performance.now() < deadline; done++) {
    await graph.invoke({ messages: [new HumanMessage(`${USER_TEXT}(${done})`)] }, { configurable: { thread_id: threadId } });
  }
  return done;
}

/** Calls `op` up to `count` times within the budget; returns operations per second. */
async function throughput(count: number, op: () => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + LOOP_BUDGET_MS;
  const start = performance.now();
  let done = 0;
  for (; done < count && performance.now() < deadline; done++) await op();
  return done / (since(start) / 1000);
}

function fileBytes(contender: Contender): number {
  // Moves everything from the write-ahead log into the main file, so its size is the whole database.
  contender.db.run('PRAGMA wal_checkpoint(TRUNCATE)');
  return statSync(contender.path).size;
}

interface Result {
  putsPerSecond: number;
  putMs10: number;
  putMs1000: number;
  getTuplePerSecond: number;
  listPerSecond: number;
  getStatePerSecond: number;
  bytesAfter300: number;
  longTurns: number;
}

async function measure(contender: Contender): Promise<Result> {
  const puts = timePuts(contender.saver);
  const graph = buildGraph(contender.saver);

  // A long thread: its size at 300 turns, then grown to 1000 messages.
  const long = 'long-thread';
  const sizeTurns = await turns(graph, long, SIZE_TURNS);
  const putsPerSecond = puts.length / (puts.reduce((a, b) => a + b, 0) / 1000);
  const bytesAfter300 = sizeTurns === SIZE_TURNS ? fileBytes(contender) : Number.NaN;
  const longTurns = sizeTurns + (await turns(graph, long, LONG_TURNS - sizeTurns));
  puts.length = 0;
  await turns(graph, long, TIMED_TURNS);
  const putMs1000 = mean(puts) * (puts.length / TIMED_TURNS);

  // Many short threads: one timed turn on each at 10 messages.
  const shortTurnCosts: number[] = [];
  for (let i = 0; i < SHORT_THREADS; i++) {
    await turns(graph, `short-${i}`, 5);
    puts.length = 0;
    await turns(graph, `short-${i}`, 1);
    shortTurnCosts.push(puts.reduce((a, b) => a + b, 0));
  }
  const putMs10 = mean(shortTurnCosts);

  const config = { configurable: { thread_id: long } };
  const getTuplePerSecond = await throughput(READS, () => contender.saver.getTuple(config));
  const listPerSecond = await throughput(READS, async () => {
    for await (const tuple of contender.saver.list(config, { limit: 10 })) void tuple;
  });
  const getStatePerSecond = await throughput(READS / 4, () => graph.getState(config));
  return { putsPerSecond, putMs10, putMs1000, getTuplePerSecond, listPerSecond, getStatePerSecond, bytesAfter300, longTurns };
}

async function checkpointer(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-bench-saver-'));
  try {
    const oursPath = join(dir, 'ours.sqlite');
    const ours = new BunSqliteSaver(oursPath);
    const officialPath = join(dir, 'official.sqlite');
    const official = officialSqliteSaver(officialPath);
    const results = {
      ours: await measure({ saver: ours, db: ours.db, path: oursPath }),
      official: await measure({ saver: official.saver, db: official.db, path: officialPath }),
    };
    ours.close();
    official.db.close();

    const out = figures('4 checkpointer', COMMAND);
    const row = (name: string, key: keyof Result, unit: string, better: 'higher' | 'lower') => {
      const a = results.ours[key];
      const b = results.official[key];
      out.add(`${name}: BunSqliteSaver`, a, unit);
      out.add(`${name}: official SqliteSaver`, b, unit);
      out.add(`${name}: official / ours`, b / a, '×', better === 'lower' ? 'above 1: ours is cheaper' : 'below 1: ours is faster');
    };
    row('put throughput (during 300 turns)', 'putsPerSecond', 'puts/s', 'higher');
    row('puts of one turn, 10-message thread', 'putMs10', 'ms', 'lower');
    row('puts of one turn, 1000-message thread', 'putMs1000', 'ms', 'lower');
    row('getTuple, 1000-message thread', 'getTuplePerSecond', 'ops/s', 'higher');
    row('list (limit 10), 1000-message thread', 'listPerSecond', 'ops/s', 'higher');
    row('graph.getState (what chats.get reads)', 'getStatePerSecond', 'ops/s', 'higher');
    row('database size after 300 turns', 'bytesAfter300', 'bytes', 'lower');
    if (results.official.longTurns < LONG_TURNS || results.ours.longTurns < LONG_TURNS) {
      out.add(
        'turns reached within the time budget',
        `${results.ours.longTurns} / ${results.official.longTurns}`,
        'turns',
        'ours / official',
      );
    }
    return out.list;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runAlone(checkpointer);
