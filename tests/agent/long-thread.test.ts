/**
 * A long chat through the real agent graph and the bun:sqlite checkpointer: storage grows with
 * the conversation (messages are a delta channel), not with its square.
 */
import { afterAll, expect, test } from 'bun:test';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BunSqliteSaver } from '../../db/checkpointer/bun-sqlite-saver.ts';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { tempDir } from '../support/test-server.ts';
import { collector, createChat, createHarness, USER_ID } from './support.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a 300-turn chat keeps its checkpoints within a few MB', async () => {
  const fixture = startOpenAIFixture();
  const file = join(dir, 'history.db');
  const saver = new BunSqliteSaver(file);
  const h = createHarness({ baseURL: fixture.baseURL, checkpointer: saver });
  try {
    fixture.fallback({ kind: 'text', text: `An answer of a realistic length. ${'It says a few useful things. '.repeat(8)}` });
    const { threadId } = createChat(h.db);
    const handler = h.manager.get(USER_ID);
    for (let turn = 1; turn <= 300; turn++) {
      expect(await handler.send(threadId, `Question ${turn}: ${'please look into this. '.repeat(6)}`, collector())).toEqual({
        status: 'idle',
      });
    }
    const history = await handler.history(threadId);
    expect(history.messages).toHaveLength(600);
    expect(history.messages.at(-2)?.text).toStartWith('Question 300:');

    saver.close();
    const megabytes = statSync(file).size / 1_048_576;
    console.log(`300-turn chat through the agent: checkpoint file ${megabytes.toFixed(2)} MB`);
    expect(megabytes).toBeLessThan(8);
  } finally {
    await fixture.stop();
    h.db.close();
  }
}, 120_000);
