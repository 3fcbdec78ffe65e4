/**
 * Append-only storage of list channels (db/checkpointer/append-only.ts), on both savers: a plain
 * messages list is stored as each version's new messages plus a reference to the version it
 * extends, and every checkpoint must still read back exactly, from a saver that never saw the
 * lists being written.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage, type BaseMessage, HumanMessage, RemoveMessage } from '@langchain/core/messages';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { BunSqliteSaver } from '../../db/checkpointer/bun-sqlite-saver.ts';
import { backends, type Store } from './support/backends.ts';
import { buildGraph, conversation, ListState, talk, texts } from './support/talking-graph.ts';

/** A plain messages channel (no DeltaChannel): LangGraph hands the saver the whole list at every step. */
const plainGraph = (saver: BaseCheckpointSaver) => buildGraph(saver, ListState);

/** The messages at `config`, read by a saver of its own that has seen none of the lists. */
async function readFresh(store: Store, config: { configurable: Record<string, unknown> }): Promise<unknown[]> {
  return texts((await plainGraph(await store.open()).getState(config)).values.messages);
}

/** Whether the latest checkpoint's messages are stored whole (true) or as an extension of an earlier version. */
async function latestMessagesStoredWhole(store: Store, saver: BaseCheckpointSaver, threadId: string): Promise<boolean> {
  const tuple = await saver.getTuple({ configurable: { thread_id: threadId } });
  const version = String(tuple?.checkpoint.channel_versions.messages);
  const base = await store.baseVersion(threadId, 'messages', version);
  if (base === undefined) throw new Error(`no stored messages at version ${version}`);
  return base === null;
}

for (const backend of backends) {
  describe(`append-only list storage on ${backend.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await backend.createStore();
    });
    afterAll(async () => {
      await store.remove();
    });

    test('a 200-turn history stays small and every checkpoint, fork and deletion reads back exactly', async () => {
      await talk(plainGraph(await store.open()), 'long', 1, 200);
      // Stored whole at each of its 600 checkpoints, the list would take about 20 MB.
      expect(await store.storedBytes()).toBeLessThan(2 * 1024 * 1024);

      // A fresh saver has seen none of the lists: everything below comes from the database alone.
      const saver = await store.open();
      const graph = plainGraph(saver);
      const config = { configurable: { thread_id: 'long' } };
      expect(texts((await graph.getState(config)).values.messages)).toEqual(conversation(200));

      const lengths = new Set<number>();
      const checkpointIdByLength = new Map<number, string>();
      for await (const state of graph.getStateHistory(config)) {
        const seen = texts(state.values.messages);
        expect(seen).toEqual(conversation(200).slice(0, seen.length));
        lengths.add(seen.length);
        checkpointIdByLength.set(seen.length, String(state.config.configurable?.checkpoint_id));
      }
      // Every version of the list, across several whole-value restarts (one every 64 versions).
      expect([...lengths].sort((a, b) => a - b)).toEqual(Array.from({ length: 401 }, (_, i) => i));

      const old = await saver.getTuple({ configurable: { thread_id: 'long', checkpoint_id: checkpointIdByLength.get(129) } });
      expect(texts(old?.checkpoint.channel_values.messages as BaseMessage[])).toEqual(conversation(65).slice(0, 129));

      // A fork from turn 50 continues from that turn's history, and leaves the original branch as it was.
      const fork = { configurable: { thread_id: 'long', checkpoint_id: checkpointIdByLength.get(100) } };
      await graph.invoke({ messages: [new HumanMessage({ id: 'human-fork', content: 'Another way' })], turn: 51 }, fork);
      expect(await readFresh(store, config)).toEqual([...conversation(50), 'Another way', 'Reply 51']);
      const original = { configurable: { thread_id: 'long', checkpoint_id: checkpointIdByLength.get(400) } };
      expect(await readFresh(store, original)).toEqual(conversation(200));

      // After a deletion, a list made of the deleted thread's messages is stored again, not as an
      // extension of versions that no longer exist.
      const before = await graph.getState(config);
      await saver.deleteThread('long');
      await graph.updateState(config, { messages: before.values.messages, turn: 0 });
      expect(await readFresh(store, config)).toEqual(texts(before.values.messages));
    }, 120_000);

    test('a removed or replaced message is stored as a whole list, and appending resumes after it', async () => {
      const saver = await store.open();
      const graph = plainGraph(saver);
      const config = { configurable: { thread_id: 'edits' } };
      await talk(graph, 'edits', 1, 10);
      expect(await latestMessagesStoredWhole(store, saver, 'edits')).toBe(false);

      await graph.updateState(config, { messages: [new RemoveMessage({ id: 'human-3' })] });
      expect(await latestMessagesStoredWhole(store, saver, 'edits')).toBe(true);
      // Same id, new content: the reducer replaces the message where it stands.
      await graph.updateState(config, { messages: [new AIMessage({ id: 'ai-5', content: 'Edited reply 5' })] });
      expect(await latestMessagesStoredWhole(store, saver, 'edits')).toBe(true);
      await graph.invoke({ messages: [new HumanMessage({ id: 'human-11', content: 'Message 11' })], turn: 11 }, config);
      expect(await latestMessagesStoredWhole(store, saver, 'edits')).toBe(false);

      const expected = conversation(11)
        .filter((text) => text !== 'Message 3')
        .map((text) => (text === 'Reply 5' ? 'Edited reply 5' : text));
      expect(await readFresh(store, config)).toEqual(expected);
    });
  });
}

describe('append-only list storage on BunSqliteSaver', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-append-only-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('a database written before append-only storage reads, and grows, as before', async () => {
    // Three turns of thread "before" on this test's graph, written by the saver as it was before
    // append-only storage (without the base_version column or its migration).
    const file = join(dir, 'before.sqlite');
    copyFileSync(join(import.meta.dir, 'fixtures', 'before-append-only.sqlite'), file);
    const saver = new BunSqliteSaver(file);
    const graph = plainGraph(saver);
    const config = { configurable: { thread_id: 'before' } };
    expect(texts((await graph.getState(config)).values.messages)).toEqual(conversation(3));
    await graph.invoke({ messages: [new HumanMessage({ id: 'human-4', content: 'Message 4' })], turn: 4 }, config);
    const version = String((await saver.getTuple(config))?.checkpoint.channel_versions.messages);
    const stored = saver.db
      .query<{ base_version: string | null }, [string]>(
        "SELECT base_version FROM checkpoint_blobs WHERE thread_id = 'before' AND channel = 'messages' AND version = ?",
      )
      .get(version);
    expect(stored?.base_version).toBeString();
    saver.close();
    const fresh = new BunSqliteSaver(file);
    expect(texts((await plainGraph(fresh).getState(config)).values.messages)).toEqual(conversation(4));
    fresh.close();
  });
});
