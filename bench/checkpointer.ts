/**
 * 4. Checkpointer: BunSqliteSaver beside the official SqliteSaver (on bun:sqlite through an
 * adapter), on the same workload: a graph with the agent's own state schema (AgentState), whose
 * one node answers each person's message, so every turn checkpoints like a chat turn without a
 * model. Both threads grow turn by turn side by side to 299 turns (which also warms both); then
 * each round runs one more turn on each saver, alternating which goes first (round 1 ours first,
 * round 2 official first, ...), and times that turn's writes: the put / putWrites calls the graph
 * made, held back during the turn and then replayed in order one at a time, so the CPU counted is
 * the saver's alone and not the graph work LangGraph runs beside a pending write. Round 1 is turn
 * 300, which is also a turn where MessagesDeltaValue (a DeltaChannel) writes the whole message
 * list, not only the turn's new messages, as it does every so many updates (reported apart).
 * Reported: the median over rounds of official ÷ ours (latest.json's checkpointerTurn300Ratio),
 * what graph.getState costs at that length, and one size: main database file + WAL after
 * wal_checkpoint(TRUNCATE), after 300 turns. Only the savers' public API is used.
 * BunPostgresSaver runs the same workload beside them, in a schema of its own on
 * BENCH_DATABASE_URL (default: the local test database); its CPU is this process's only (what an
 * instance spends; PostgreSQL's own work is in its server processes), its size the tables'.
 *
 *   bun bench/checkpointer.ts                  (BENCH_CHECKPOINTER_ROUNDS=11)
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { END, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { Database } from 'bun:sqlite';
import { SQL } from 'bun';
import { BunSqliteSaver } from '../db/checkpointer/bun-sqlite-saver.ts';
import { BunPostgresSaver } from '../db/checkpointer/postgres-saver.ts';
import { AgentState } from '../server/agent/state.ts';
import { officialSqliteSaver } from './lib/official-saver.ts';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { percentile } from './lib/stats.ts';

const COMMAND = 'bun bench/checkpointer.ts';
const TIMED_TURN = 300;
const ROUNDS = Number(process.env.BENCH_CHECKPOINTER_ROUNDS ?? 11);
const GET_STATES = 10;
const THREAD = { configurable: { thread_id: 'long-thread' } };
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const USER_TEXT = 'Could you summarise what we decided about the release plan, and who does what next week? ';
const ANSWER_TEXT = 'Here is the summary. '.repeat(25);

/** CPU (user + system) of this process since `start`, in ms. */
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

function buildGraph(saver: BaseCheckpointSaver) {
  let replies = 0;
  return new StateGraph(AgentState)
    .addNode('reply', () => ({ messages: [new AIMessage({ id: `ai-${++replies}`, content: ANSWER_TEXT })] }))
    .addEdge(START, 'reply')
    .addEdge('reply', END)
    .compile({ checkpointer: saver });
}

/** One saver, its graph, and the switch that holds its writes back during a timed turn. */
class Contender {
  readonly graph: ReturnType<typeof buildGraph>;
  #held: (() => Promise<unknown>)[] | undefined;
  #turns = 0;

  constructor(
    readonly name: string,
    readonly saver: BaseCheckpointSaver,
    /** Bytes stored after the turns so far. */
    readonly bytesStored: () => Promise<number>,
    readonly close: () => Promise<void> | void,
  ) {
    this.graph = buildGraph(saver);
    // LangGraph does not await a write before going on; holding writes back (and answering as the
    // saver would) lets them be replayed alone afterwards, in the order the graph made them.
    const put = saver.put.bind(saver);
    const putWrites = saver.putWrites.bind(saver);
    saver.put = (config, checkpoint, metadata, versions) => {
      if (!this.#held) return put(config, checkpoint, metadata, versions);
      this.#held.push(() => put(config, checkpoint, metadata, versions));
      return Promise.resolve({ configurable: { ...config.configurable, checkpoint_id: checkpoint.id } });
    };
    saver.putWrites = (config, writes, taskId) => {
      if (!this.#held) return putWrites(config, writes, taskId);
      this.#held.push(() => putWrites(config, writes, taskId));
      return Promise.resolve();
    };
  }

  turn(): Promise<unknown> {
    return this.graph.invoke({ messages: [new HumanMessage(`${USER_TEXT}(${++this.#turns})`)] }, THREAD);
  }

  /** One turn; returns the CPU its writes took, replayed one call at a time. */
  async timedTurn(): Promise<number> {
    const held: (() => Promise<unknown>)[] = [];
    this.#held = held;
    try {
      await this.turn();
    } finally {
      this.#held = undefined;
    }
    // The graph's garbage from the turn is collected now, not during (and charged to) the writes.
    Bun.gc(true);
    let cpuMs = 0;
    for (const write of held) {
      const start = process.cpuUsage();
      await write();
      cpuMs += cpuMsSince(start);
    }
    return cpuMs;
  }

  async getStateCpuMs(): Promise<number> {
    const start = process.cpuUsage();
    for (let i = 0; i < GET_STATES; i++) await this.graph.getState(THREAD);
    return cpuMsSince(start) / GET_STATES;
  }
}

/** The main file plus its WAL after moving the WAL into it, through a connection of our own. */
function sqliteBytes(path: string): () => Promise<number> {
  return async () => {
    const db = new Database(path);
    try {
      db.run('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    const wal = `${path}-wal`;
    return statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0);
  };
}

/** BunPostgresSaver in a schema of its own, dropped on close. */
async function postgresContender(): Promise<Contender> {
  const schema = `bench_checkpointer_${process.pid}`;
  const admin = new SQL({ url: DATABASE_URL, max: 1 });
  await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const saver = await BunPostgresSaver.open({ url: DATABASE_URL, schema, maxConnections: 2 });
  const bytes = async () => {
    const [{ bytes }] = await admin.unsafe(
      `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    return Number(bytes);
  };
  return new Contender('BunPostgresSaver', saver, bytes, async () => {
    await saver.close();
    await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });
}

async function checkpointer(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-bench-saver-'));
  const oursPath = join(dir, 'ours.sqlite');
  const officialPath = join(dir, 'official.sqlite');
  const oursSaver = new BunSqliteSaver(oursPath);
  const official = officialSqliteSaver(officialPath);
  const ours = new Contender('BunSqliteSaver', oursSaver, sqliteBytes(oursPath), () => oursSaver.close());
  const theirs = new Contender('official SqliteSaver', official.saver, sqliteBytes(officialPath), () => official.db.close());
  const postgres = await postgresContender();
  const all = { ours, theirs, postgres };
  type Which = keyof typeof all;
  try {
    for (let turn = 1; turn < TIMED_TURN; turn++) {
      for (const contender of Object.values(all)) await contender.turn();
    }
    const writes: Record<Which, number[]> = { ours: [], theirs: [], postgres: [] };
    const getState: Record<Which, number[]> = { ours: [], theirs: [], postgres: [] };
    const bytes: Record<Which, number> = { ours: 0, theirs: 0, postgres: 0 };
    const names = Object.keys(all) as Which[];
    for (let round = 0; round < ROUNDS; round++) {
      // Rotated each round, so each saver goes first in turn (and ours and the official alternate).
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      for (const which of order) writes[which].push(await all[which].timedTurn());
      if (round === 0) for (const which of names) bytes[which] = await all[which].bytesStored();
      for (const which of order) getState[which].push(await all[which].getStateCpuMs());
    }
    const median = (xs: number[]) => percentile(xs, 50);
    const ratios = (pair: Record<Which, number[]>) => pair.theirs.map((t, i) => t / pair.ours[i]!);

    const out = figures('4 checkpointer', COMMAND);
    const turns = `turns ${TIMED_TURN}–${TIMED_TURN + ROUNDS - 1}, one a round, rotating which saver goes first`;
    out.add(`one turn's writes at turn ${TIMED_TURN}: ${ours.name}`, median(writes.ours), 'ms CPU', `median; ${turns}`);
    out.add(`one turn's writes at turn ${TIMED_TURN}: ${theirs.name}`, median(writes.theirs), 'ms CPU', 'median');
    out.add(
      `one turn's writes at turn ${TIMED_TURN}: ${postgres.name}`,
      median(writes.postgres),
      'ms CPU',
      'median; this process only, PostgreSQL server CPU not included',
    );
    out.add(
      `one turn's writes at turn ${TIMED_TURN}: official ÷ ours`,
      median(ratios(writes)),
      '×',
      `median of the per-round ratios (${Math.min(...ratios(writes)).toFixed(2)}–${Math.max(...ratios(writes)).toFixed(2)}); above 1: ours is cheaper`,
      'checkpointerTurn300Ratio',
    );
    out.add(
      `turn ${TIMED_TURN} alone: official ÷ ours`,
      writes.theirs[0]! / writes.ours[0]!,
      '×',
      `ours ${writes.ours[0]!.toFixed(2)} / official ${writes.theirs[0]!.toFixed(2)} / PostgreSQL ${writes.postgres[0]!.toFixed(2)} ms CPU; a turn where MessagesDeltaValue writes the whole list`,
    );
    out.add(`graph.getState at turn ${TIMED_TURN}: ${ours.name}`, median(getState.ours), 'ms CPU', 'median; what chats.get reads');
    out.add(`graph.getState at turn ${TIMED_TURN}: ${theirs.name}`, median(getState.theirs), 'ms CPU', 'median');
    out.add(
      `graph.getState at turn ${TIMED_TURN}: ${postgres.name}`,
      median(getState.postgres),
      'ms CPU',
      'median; this process only, PostgreSQL server CPU not included',
    );
    out.add(`graph.getState at turn ${TIMED_TURN}: official ÷ ours`, median(ratios(getState)), '×', 'above 1: ours is cheaper');
    const size = `main file + WAL after wal_checkpoint(TRUNCATE), after ${TIMED_TURN} turns`;
    out.add(`database size: ${ours.name}`, bytes.ours / 2 ** 20, 'MiB', size);
    out.add(`database size: ${theirs.name}`, bytes.theirs / 2 ** 20, 'MiB', size);
    out.add(
      `database size: ${postgres.name}`,
      bytes.postgres / 2 ** 20,
      'MiB',
      `its tables with indexes and TOAST, after ${TIMED_TURN} turns`,
    );
    return out.list;
  } finally {
    for (const contender of Object.values(all)) await contender.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runAlone(checkpointer);
