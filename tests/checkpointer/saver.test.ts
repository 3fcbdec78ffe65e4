/**
 * BunSqliteSaver under real graphs and real processes. The official conformance suite runs
 * separately (conformance.vitest.ts); these cover what it cannot: growth over a long thread,
 * resuming in another process, thread deletion and two writers on one file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import { END, MessagesDeltaValue, START, StateGraph, StateSchema } from '@langchain/langgraph';
import type { ChannelVersions, Checkpoint, CheckpointMetadata } from '@langchain/langgraph-checkpoint';
import { BunSqliteSaver } from '../../db/checkpointer/bun-sqlite-saver.ts';
import { buildApprovalGraph } from './fixtures/approval-graph.ts';

const fixtures = join(import.meta.dir, 'fixtures');
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'countersign-saver-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function runBun(args: string[]): Promise<string> {
  const proc = Bun.spawn([process.execPath, ...args], { stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`bun ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

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

function rowsPerThread(db: Database, table: string): Record<string, number> {
  const rows = db.query<{ thread_id: string; n: number }, []>(`SELECT thread_id, count(*) AS n FROM ${table} GROUP BY thread_id`).all();
  return Object.fromEntries(rows.map((r) => [r.thread_id, r.n]));
}

/** Adds up the time spent in put(), so a test can read it per turn. */
class TimedSaver extends BunSqliteSaver {
  putMs = 0;
  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const start = performance.now();
    try {
      return await super.put(config, checkpoint, metadata, newVersions);
    } finally {
      this.putMs += performance.now() - start;
    }
  }
}

describe('BunSqliteSaver', () => {
  // 300 whole graph turns: about 10 s on a quiet 2-core machine, several times that on a loaded one.
  test('a 300-turn thread stays small and its puts stay cheap', async () => {
    const file = join(dir, 'long-thread.sqlite');
    const saver = new TimedSaver(file);
    // MessagesDeltaValue stores each step's new messages, not the whole history at each step;
    // a plain messages channel would make the file grow with the square of the turn count.
    const State = new StateSchema({
      messages: MessagesDeltaValue,
      turn: z.number(),
      status: z.string(),
      lastTool: z.string(),
    });
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
      saver.putMs = 0;
      await graph.invoke(
        { messages: [new HumanMessage(`Message ${turn}: ${'please check this. '.repeat(6)}`)], turn, status: 'busy', lastTool: '' },
        config,
      );
      putMsPerTurn.push(saver.putMs);
    }

    const state = await graph.getState(config);
    expect(state.values.messages).toHaveLength(600);
    expect(state.values.messages[1].content).toStartWith('Reply to turn 1:');
    expect(state.values.messages[599].content).toStartWith('Reply to turn 300:');
    expect(state.values.turn).toBe(300);

    saver.db.run('PRAGMA wal_checkpoint(TRUNCATE)');
    saver.close();
    const bytes = statSync(file).size;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    // Single turns are noisy, and the delta channel writes a full snapshot every so many updates
    // (turn 300 is one), so the window medians are the fair comparison of a turn's usual cost.
    console.log(
      `300 turns: database ${(bytes / 1e6).toFixed(2)} MB; put time per turn at turn 10 ` +
        `${putMsPerTurn[9]!.toFixed(2)} ms, at turn 300 ${putMsPerTurn[299]!.toFixed(2)} ms; ` +
        `median of turns 6-15 ${median(putMsPerTurn.slice(5, 15)).toFixed(2)} ms, 291-300 ${median(putMsPerTurn.slice(290)).toFixed(2)} ms; ` +
        `mean of turns 6-15 ${mean(putMsPerTurn.slice(5, 15)).toFixed(2)} ms, 291-300 ${mean(putMsPerTurn.slice(290)).toFixed(2)} ms`,
    );
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);

  test('a run interrupted in one process is resumed by another', async () => {
    const file = join(dir, 'interrupt.sqlite');
    const config = { configurable: { thread_id: 'approval' } };
    const saver = new BunSqliteSaver(file);
    const graph = buildApprovalGraph(saver);
    await graph.invoke({ request: 'deploy' }, config);
    const paused = await graph.getState(config);
    expect(paused.next).toEqual(['ask']);
    expect(paused.tasks[0]?.interrupts[0]?.value).toEqual({ question: 'run deploy?' });
    saver.close();

    const output = await runBun([join(fixtures, 'approval-graph.ts'), file, 'approval', 'approved by Ada']);
    expect(JSON.parse(output)).toEqual({ request: 'deploy', decision: 'approved by Ada', outcome: 'deploy: approved by Ada' });

    const reopened = new BunSqliteSaver(file);
    const finished = await buildApprovalGraph(reopened).getState(config);
    expect(finished.next).toEqual([]);
    expect(finished.values.outcome).toBe('deploy: approved by Ada');
    reopened.close();
  }, 60_000);

  test('deleteThread removes that thread only', async () => {
    const saver = new BunSqliteSaver(join(dir, 'delete.sqlite'));
    const graph = buildApprovalGraph(saver);
    for (const threadId of ['doomed', 'kept']) {
      await graph.invoke({ request: threadId }, { configurable: { thread_id: threadId } });
    }
    const before = ['checkpoints', 'checkpoint_blobs', 'checkpoint_writes'].map((t) => rowsPerThread(saver.db, t));
    for (const counts of before) {
      expect(counts.doomed).toBeGreaterThan(0);
      expect(counts.kept).toBeGreaterThan(0);
    }

    await saver.deleteThread('doomed');

    const after = ['checkpoints', 'checkpoint_blobs', 'checkpoint_writes'].map((t) => rowsPerThread(saver.db, t));
    for (const [i, counts] of after.entries()) expect(counts).toEqual({ kept: before[i]!.kept! });
    expect(await saver.getTuple({ configurable: { thread_id: 'doomed' } })).toBeUndefined();
    const kept = await graph.getState({ configurable: { thread_id: 'kept' } });
    expect(kept.tasks[0]?.interrupts[0]?.value).toEqual({ question: 'run kept?' });
    saver.close();
  });

  test('two connections writing to one file at once both succeed', async () => {
    const file = join(dir, 'concurrent.sqlite');
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
