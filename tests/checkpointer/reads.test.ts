/**
 * What the savers' reads return, now that a read takes its rows at once, reuses list values and
 * DeltaChannel writes it has already deserialized, and finds a checkpoint's stored values through
 * its channel_versions: the same history as a saver that has seen nothing, whatever another
 * connection or the caller does in between. On both savers (support/backends.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BaseMessage, HumanMessage } from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  type BaseCheckpointSaver,
  type Checkpoint,
  type DeltaSnapshot,
  emptyCheckpoint,
  isDeltaSnapshot,
  uuid6,
} from '@langchain/langgraph-checkpoint';
import { BunSqliteSaver } from '../../db/checkpointer/bun-sqlite-saver.ts';
import { backends, type Store } from './support/backends.ts';
import { buildGraph, conversation, DeltaState, ListState, talk, texts } from './support/talking-graph.ts';

/** Every checkpoint's messages, newest first, as the saver reads them. */
async function history(saver: BaseCheckpointSaver, threadId: string): Promise<unknown[][]> {
  const states: unknown[][] = [];
  for await (const state of buildGraph(saver, DeltaState).getStateHistory({ configurable: { thread_id: threadId } })) {
    states.push(texts(state.values.messages));
  }
  return states;
}

for (const backend of backends) {
  describe(`${backend.name} reads`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await backend.createStore();
    });
    afterAll(async () => {
      await store.remove();
    });

    test('every checkpoint of a long delta history reads the same warm and fresh', async () => {
      const writer = await store.open();
      // 120 turns: 240 messages, so the history has snapshots at 100 and 200 and writes after them.
      await talk(buildGraph(writer, DeltaState), 'long', 1, 120);

      const expected = await history(writer, 'long');
      expect(expected[0]).toEqual(conversation(120));
      expect(expected.at(-1)).toEqual([]);
      for (const seen of expected) expect(seen).toEqual(conversation(120).slice(0, seen.length));
      // Read again, from what the first reads kept.
      expect(await history(writer, 'long')).toEqual(expected);
      expect(await history(await store.open(), 'long')).toEqual(expected);
    }, 60_000);

    test('a checkpoint another connection adds is what the next read returns', async () => {
      const writer = await store.open();
      const reader = await store.open();
      const config = { configurable: { thread_id: 'shared' } };
      await talk(buildGraph(writer, DeltaState), 'shared', 1, 55);
      expect(texts((await buildGraph(reader, DeltaState).getState(config)).values.messages)).toEqual(conversation(55));

      await talk(buildGraph(writer, DeltaState), 'shared', 56, 58);
      expect(texts((await buildGraph(reader, DeltaState).getState(config)).values.messages)).toEqual(conversation(58));
      const tuple = await reader.getTuple(config);
      expect(tuple?.checkpoint.channel_values.turn).toBe(58);
    }, 60_000);

    test('a list the caller changes is not what the next read returns', async () => {
      const saver = await store.open();
      const config = { configurable: { thread_id: 'lists' } };
      await talk(buildGraph(saver, ListState), 'lists', 1, 3);
      const first = (await saver.getTuple(config))?.checkpoint.channel_values.messages as BaseMessage[];
      expect(texts(first)).toEqual(conversation(3));
      first.push(new HumanMessage('not sent'));
      const again = (await saver.getTuple(config))?.checkpoint.channel_values.messages as BaseMessage[];
      expect(texts(again)).toEqual(conversation(3));

      // The same for a delta history's snapshot: after 50 turns (100 messages) the latest checkpoint holds one.
      await talk(buildGraph(saver, DeltaState), 'delta', 1, 50);
      const delta = { configurable: { thread_id: 'delta' } };
      const snapshot = (await saver.getTuple(delta))?.checkpoint.channel_values.messages as DeltaSnapshot;
      expect(isDeltaSnapshot(snapshot)).toBe(true);
      (snapshot.value as BaseMessage[]).splice(0, 10);
      expect(texts((await buildGraph(saver, DeltaState).getState(delta)).values.messages)).toEqual(conversation(50));
    }, 60_000);

    test('a thread deleted and written again under the same ids and versions reads its new values', async () => {
      const saver = await store.open();
      const thread = { configurable: { thread_id: 'again', checkpoint_ns: '' } };
      // Two checkpoints with fixed ids and versions, and a DeltaChannel write between them, as a
      // caller (or LangGraph's own conformance tests) may write them.
      async function write(text: string): Promise<RunnableConfig> {
        const first: Checkpoint = {
          ...emptyCheckpoint(),
          id: uuid6(1),
          channel_values: { list: [new HumanMessage({ id: 'm', content: text })] },
          channel_versions: { list: 1 },
        };
        const firstConfig = await saver.put(thread, first, { source: 'input', step: -1, parents: {} }, { list: 1 });
        await saver.putWrites(firstConfig, [['messages', [new HumanMessage({ id: 'w', content: `${text} write` })]]], 'task');
        const second: Checkpoint = { ...first, id: uuid6(2), channel_values: first.channel_values };
        return saver.put(firstConfig, second, { source: 'loop', step: 0, parents: {} }, {});
      }
      async function read(config: RunnableConfig): Promise<unknown[]> {
        const tuple = await saver.getTuple(config);
        const delta = await saver.getDeltaChannelHistory({ config, channels: ['messages'] });
        return [
          ...texts(tuple?.checkpoint.channel_values.list as BaseMessage[]),
          ...delta.messages!.writes.flatMap(([, , value]) => texts(value as BaseMessage[])),
        ];
      }

      expect(await read(await write('old'))).toEqual(['old', 'old write']);
      await saver.deleteThread('again');
      expect(await read(await write('new'))).toEqual(['new', 'new write']);
    });
  });
}

describe('BunSqliteSaver reads', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-reads-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('a long delta history reads the same from rows written before channel_versions', async () => {
    const file = join(dir, 'long.sqlite');
    const writer = new BunSqliteSaver(file);
    await talk(buildGraph(writer, DeltaState), 'long', 1, 120);
    const expected = await history(writer, 'long');
    // As if every other checkpoint had been written before the column existed, then all of them.
    writer.db.run('UPDATE checkpoints SET channel_versions = NULL WHERE rowid % 2 = 0');
    writer.close();
    const mixed = new BunSqliteSaver(file);
    expect(await history(mixed, 'long')).toEqual(expected);
    mixed.db.run('UPDATE checkpoints SET channel_versions = NULL');
    mixed.close();
    const old = new BunSqliteSaver(file);
    expect(await history(old, 'long')).toEqual(expected);
    old.close();
  }, 60_000);
});
