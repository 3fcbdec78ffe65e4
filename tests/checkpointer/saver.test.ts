/**
 * Both savers (BunSqliteSaver, BunPostgresSaver) under real graphs and real processes. The
 * official conformance suite runs separately (conformance*.vitest.ts); these cover what it
 * cannot: growth over a long thread, resuming in another process, thread deletion, forks, and
 * two writers at once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { SQL } from 'bun';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { END, MessagesDeltaValue, START, StateGraph, StateSchema } from '@langchain/langgraph';
import { BunPostgresSaver } from '../../db/checkpointer/postgres-saver.ts';
import { createTestSchema } from '../support/services.ts';
import { buildApprovalGraph } from './fixtures/approval-graph.ts';
import { backends, type Store } from './support/backends.ts';
import { buildGraph, conversation, DeltaState, ListState, talk, texts } from './support/talking-graph.ts';

const fixtures = join(import.meta.dir, 'fixtures');

async function runBun(args: string[]): Promise<string> {
  const proc = Bun.spawn([process.execPath, ...args], { stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`bun ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

for (const backend of backends) {
  describe(backend.name, () => {
    let store: Store;
    beforeAll(async () => {
      store = await backend.createStore();
    });
    afterAll(async () => {
      await store.remove();
    });

    // 300 whole graph turns: about 10 s on a quiet 2-core machine, several times that on a loaded one.
    test('a 300-turn thread stays small and its puts stay cheap', async () => {
      const saver = await store.open();
      let putMs = 0;
      const put = saver.put.bind(saver);
      saver.put = async (...args) => {
        const start = performance.now();
        try {
          return await put(...args);
        } finally {
          putMs += performance.now() - start;
        }
      };
      // MessagesDeltaValue stores each step's new messages, not the whole history at each step;
      // a plain messages channel would make the storage grow with the square of the turn count.
      const State = new StateSchema({ messages: MessagesDeltaValue, turn: z.number(), status: z.string(), lastTool: z.string() });
      const graph = new StateGraph(State)
        .addNode('agent', (state) => ({
          messages: [new AIMessage(`Reply to turn ${state.turn}: ${'the tool says fine. '.repeat(6)}`)],
          status: 'idle',
          lastTool: `tool-${state.turn % 3}`,
        }))
        .addEdge(START, 'agent')
        .addEdge('agent', END)
        .compile({ checkpointer: saver });
      const config = { configurable: { thread_id: 'long' } };

      const putMsPerTurn: number[] = [];
      for (let turn = 1; turn <= 300; turn += 1) {
        putMs = 0;
        await graph.invoke(
          { messages: [new HumanMessage(`Message ${turn}: ${'please check this. '.repeat(6)}`)], turn, status: 'busy', lastTool: '' },
          config,
        );
        putMsPerTurn.push(putMs);
      }

      const state = await graph.getState(config);
      expect(state.values.messages).toHaveLength(600);
      expect(state.values.messages[1].content).toStartWith('Reply to turn 1:');
      expect(state.values.messages[599].content).toStartWith('Reply to turn 300:');
      expect(state.values.turn).toBe(300);

      const bytes = await store.storedBytes();
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      // Single turns are noisy, and the delta channel writes a full snapshot every so many
      // updates, so the window medians are the fair comparison of a turn's usual cost.
      console.log(
        `${backend.name}, 300 turns: stored ${(bytes / 1e6).toFixed(2)} MB; put time per turn, median of turns 6-15 ` +
          `${median(putMsPerTurn.slice(5, 15)).toFixed(2)} ms, 291-300 ${median(putMsPerTurn.slice(290)).toFixed(2)} ms`,
      );
      expect(bytes).toBeLessThan(8 * 1024 * 1024);
    }, 120_000);

    test('a run interrupted in one process is resumed by another', async () => {
      const config = { configurable: { thread_id: 'approval' } };
      const graph = buildApprovalGraph(await store.open());
      await graph.invoke({ request: 'deploy' }, config);
      const paused = await graph.getState(config);
      expect(paused.next).toEqual(['ask']);
      expect(paused.tasks[0]?.interrupts[0]?.value).toEqual({ question: 'run deploy?' });

      const output = await runBun([join(fixtures, 'approval-graph.ts'), 'approval', 'approved by Ada', ...store.args]);
      expect(JSON.parse(output)).toEqual({ request: 'deploy', decision: 'approved by Ada', outcome: 'deploy: approved by Ada' });

      const finished = await buildApprovalGraph(await store.open()).getState(config);
      expect(finished.next).toEqual([]);
      expect(finished.values.outcome).toBe('deploy: approved by Ada');
    }, 60_000);

    test('deleteThread removes that thread only', async () => {
      const saver = await store.open();
      const graph = buildApprovalGraph(saver);
      for (const threadId of ['doomed', 'kept']) {
        await graph.invoke({ request: threadId }, { configurable: { thread_id: threadId } });
      }
      const tables = ['checkpoints', 'values', 'writes'] as const;
      const before = await Promise.all(tables.map((t) => store.rowsPerThread(t)));
      for (const counts of before) {
        expect(counts.doomed).toBeGreaterThan(0);
        expect(counts.kept).toBeGreaterThan(0);
      }

      await saver.deleteThread('doomed');

      const after = await Promise.all(tables.map((t) => store.rowsPerThread(t)));
      for (const [i, counts] of after.entries()) {
        expect(counts.doomed).toBeUndefined();
        expect(counts.kept).toBe(before[i]!.kept!);
      }
      expect(await saver.getTuple({ configurable: { thread_id: 'doomed' } })).toBeUndefined();
      const kept = await graph.getState({ configurable: { thread_id: 'kept' } });
      expect(kept.tasks[0]?.interrupts[0]?.value).toEqual({ question: 'run kept?' });
    });

    test('two branches forked from one checkpoint keep their own values', async () => {
      const graph = buildGraph(await store.open(), ListState);
      await talk(graph, 'forks', 1, 3);
      const states = [];
      for await (const state of graph.getStateHistory({ configurable: { thread_id: 'forks' } })) states.push(state);
      const afterTurn2 = states.find((state) => state.values.turn === 2 && state.next.length === 0)!;
      // Both branches go on from the same parent, so both bump the same channels from the same versions.
      const branches = await Promise.all(
        ['Left', 'Right'].map(async (text) => {
          const result = await graph.invoke(
            { messages: [new HumanMessage({ id: `human-${text}`, content: text })], turn: 3 },
            afterTurn2.config,
          );
          return { text, result };
        }),
      );
      expect(branches.map(({ result }) => texts(result.messages))).toEqual([
        [...conversation(2), 'Left', 'Reply 3'],
        [...conversation(2), 'Right', 'Reply 3'],
      ]);

      // Each branch's last checkpoint, read by a saver that saw none of it.
      const reader = await store.open();
      const branchHeads = [];
      for await (const tuple of reader.list({ configurable: { thread_id: 'forks' } })) {
        const messages = texts(tuple.checkpoint.channel_values.messages as AIMessage[]);
        if (messages.length === 6 && messages[5] === 'Reply 3') branchHeads.push(messages[4]);
      }
      expect(branchHeads.sort()).toEqual(['Left', 'Message 3', 'Right']);
    });
  });
}

describe('BunSqliteSaver', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-saver-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a concurrent writer and resolves once it has opened the file and waits to be let go (its stdin closed). */
  async function readyWriter(file: string, threadId: string, count: number, open: 'path' | 'database') {
    const writer = Bun.spawn([process.execPath, join(fixtures, 'concurrent-writer.ts'), file, threadId, String(count), open], {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const reader = writer.stdout.getReader();
    let out = '';
    while (!out.includes('ready')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`writer ${threadId} exited before it was ready: ${await new Response(writer.stderr).text()}`);
      out += new TextDecoder().decode(value);
    }
    return writer;
  }

  const rowsPerThread = (db: Database, table: string): Record<string, number> =>
    Object.fromEntries(
      db
        .query<{ thread_id: string; n: number }, []>(`SELECT thread_id, count(*) AS n FROM ${table} GROUP BY thread_id`)
        .all()
        .map((r) => [r.thread_id, r.n]),
    );

  test('two connections writing to one file at once both succeed', async () => {
    const file = join(dir, 'concurrent.sqlite');
    const { BunSqliteSaver } = await import('../../db/checkpointer/bun-sqlite-saver.ts');
    new BunSqliteSaver(file).close();
    const count = 300;
    const writers = await Promise.all([readyWriter(file, 'writer-a', count, 'path'), readyWriter(file, 'writer-b', count, 'database')]);
    // Both are past their start-up: let them go together, so that they contend.
    for (const writer of writers) writer.stdin.end();
    const outcomes = await Promise.all(
      writers.map(async (writer) => ({ code: await writer.exited, stderr: await new Response(writer.stderr).text() })),
    );
    expect(outcomes).toEqual([expect.objectContaining({ code: 0 }), expect.objectContaining({ code: 0 })]);
    const db = new Database(file, { readonly: true });
    expect(rowsPerThread(db, 'checkpoints')).toEqual({ 'writer-a': count, 'writer-b': count });
    expect(rowsPerThread(db, 'checkpoint_writes')).toEqual({ 'writer-a': count, 'writer-b': count });
    db.close();
  }, 60_000);
});

describe('BunPostgresSaver', () => {
  test('reading and writing turn 140 of a thread takes as many queries as turn 10', async () => {
    const schema = await createTestSchema();
    const sql = new SQL({ url: schema.url, max: 2, connection: { search_path: schema.schema, jit: 'off' } });
    let queries = 0;
    const counted = new Proxy(sql, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (property !== 'unsafe') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: Parameters<SQL['unsafe']>) => {
          queries += 1;
          return target.unsafe(...args);
        };
      },
    });
    try {
      const saver = await BunPostgresSaver.open(counted);
      const graph = buildGraph(saver, DeltaState);
      const config = { configurable: { thread_id: 'counted' } };
      const queriesOf = async (work: () => Promise<unknown>) => {
        queries = 0;
        await work();
        return queries;
      };
      // A fresh saver per read: what it counts is the database's part, not what a cache spared.
      const read = async () => {
        const reader = await BunPostgresSaver.open(counted);
        return queriesOf(() => buildGraph(reader, DeltaState).getState(config));
      };
      await talk(graph, 'counted', 1, 9);
      const turn10 = { write: await queriesOf(() => talk(graph, 'counted', 10, 10)), read: await read() };
      // Turn 140: 80 messages since the history's last snapshot (at 200), each replayed from its
      // ancestor's writes, against 20 at turn 10.
      await talk(graph, 'counted', 11, 139);
      const turn140 = { write: await queriesOf(() => talk(graph, 'counted', 140, 140)), read: await read() };
      expect(texts((await graph.getState(config)).values.messages)).toEqual(conversation(140));
      expect(turn140).toEqual(turn10);
      // One statement per put, per putWrites, per tuple read and per delta history read.
      expect(turn10.read).toBe(2);
    } finally {
      await sql.close();
      await schema.drop();
    }
  }, 60_000);
});
