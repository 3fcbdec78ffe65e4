/**
 * Stop keeps what was done: the answer as far as it was written, marked stopped, and a call that
 * was running as cancelled, after a restart too (a new saver on the same store), on SQLite and PostgreSQL; Continue
 * asks the model to go on from the partial answer.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteDatabase, type SqliteAppDatabase } from '../../db/database.ts';
import { continueText } from '../../server/agent/prompts.ts';
import type { RunOptions } from '../../server/agent/llm-handler.ts';
import type { ToolCallOptions, ToolCallResult } from '../../server/agent/tool-port.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { tempDir } from '../support/test-server.ts';
import { type CheckpointStore, checkpointStores } from './checkpoint-stores.ts';
import {
  type AgentHarness,
  collector,
  createChat,
  createHarness,
  createNoteTool,
  FakeTools,
  getTimeTool,
  seedDatabase,
  USER_ID,
} from './support.ts';

let fixture: OpenAIFixture;
let dir: string;
let db: SqliteAppDatabase;
let store: CheckpointStore;

afterEach(async () => {
  await fixture.stop();
  await store.dispose();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const harness = async (tools = new FakeTools()) => {
  const agent = createHarness({ baseURL: fixture.baseURL, db, checkpointer: await store.open(), tools });
  agent.manager.get(USER_ID).setTools([getTimeTool()]);
  return agent;
};

/** Run options that stop the run (through the harness's registry) the first time `when` sees an event. */
function stopping(agent: AgentHarness, threadId: string, when: (type: string) => boolean) {
  const events = collector();
  const options: RunOptions = {
    emit: (event) => {
      events.emit(event);
      if (when(event.type)) void agent.runs.stop(threadId);
    },
  };
  return { events, options };
}

for (const { name, create } of checkpointStores) {
  describe(`stop on ${name}`, () => {
    beforeEach(async () => {
      fixture = startOpenAIFixture();
      dir = tempDir('countersign-stop-');
      db = openSqliteDatabase(join(dir, 'app.db'));
      seedDatabase(db);
      store = await create(dir);
    });

    test('a stopped answer keeps its text, marked stopped, after a restart, and Continue goes on from it', async () => {
      const agent = await harness();
      const { threadId } = createChat(db);
      fixture.script(
        { kind: 'text', text: 'One two three four five six', tokens: ['One ', 'two ', 'three ', 'four ', 'five ', 'six'], delayMs: 200 },
        { kind: 'text', text: 'seven eight.' },
      );
      let tokens = 0;
      const { options } = stopping(agent, threadId, (type) => type === 'token' && ++tokens === 2);
      const state = await agent.run(threadId, (o) => agent.manager.get(USER_ID).send(threadId, 'count', o), options);
      expect(state).toEqual({ status: 'idle' });

      const restarted = (await harness()).manager.get(USER_ID);
      const history = await restarted.history(threadId);
      expect(history.runState).toEqual({ status: 'idle' });
      const stopped = history.messages[1]!;
      expect(stopped).toMatchObject({ role: 'assistant', text: 'One two ', stopped: true });

      await restarted.continue(threadId, collector());
      const request = fixture.requests[1]!.body.messages.filter((m) => m.role !== 'system');
      expect(request.slice(-2)).toEqual([
        expect.objectContaining({ role: 'assistant', content: 'One two ' }),
        expect.objectContaining({ role: 'user', content: continueText }),
      ]);
      const after = (await restarted.history(threadId)).messages;
      expect(after.map((m) => m.text)).toEqual(['count', 'One two ', 'seven eight.']);
      // Only the last answer may be continued.
      await expect(restarted.continue(threadId, collector())).rejects.toThrow('there is nothing to continue');
    });

    test('a call stopped while it runs is cancelled, after a restart too, and the model later reads that', async () => {
      // As an MCP call does: it ends when its run's signal aborts.
      const tools = new (class extends FakeTools {
        override callTool(uniqueName: string, args: Record<string, unknown>, options: ToolCallOptions): Promise<ToolCallResult> {
          this.calls.push({ uniqueName, args });
          const { promise, resolve } = Promise.withResolvers<ToolCallResult>();
          const cancelled = () => resolve({ ok: false, kind: 'cancelled', message: 'cancelled' });
          if (options.signal?.aborted) cancelled();
          else options.signal?.addEventListener('abort', cancelled);
          return promise;
        }
      })();
      const agent = await harness(tools);
      const { threadId } = createChat(db);
      fixture.script(
        { kind: 'tool_calls', calls: [{ name: 'clock__get_time', arguments: { timezone: 'Asia/Tokyo' } }] },
        { kind: 'text', text: 'Understood.' },
      );
      const { options } = stopping(agent, threadId, (type) => type === 'tool_started');
      await agent.run(threadId, (o) => agent.manager.get(USER_ID).send(threadId, 'time in Tokyo?', o), options);

      const restarted = (await harness(tools)).manager.get(USER_ID);
      const history = await restarted.history(threadId);
      expect(history.runState).toEqual({ status: 'idle' });
      const card = history.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []))[0]!;
      expect(card).toMatchObject({ status: 'cancelled' });

      await restarted.send(threadId, 'never mind', collector());
      const tool = fixture.requests[1]!.body.messages.find((m) => m.role === 'tool')!;
      // Whether the call answered its cancellation before the run let go or not, the model reads that it was cancelled.
      expect(tool).toMatchObject({ role: 'tool' });
      expect(String(tool.content).toLowerCase()).toContain('cancelled');
      expect(tools.callsOf('clock__get_time')).toHaveLength(1);
    });

    test('stopped while the kind reply to a rejection is written: the call stays rejected and the reply as far as it went', async () => {
      const agent = await harness();
      agent.manager.get(USER_ID).setTools([createNoteTool()]);
      const { threadId } = createChat(db);
      const words = Array.from({ length: 30 }, (_, n) => `sorry${n} `);
      fixture.script(
        { kind: 'tool_calls', calls: [{ name: 'notes__create_note', arguments: { title: 'Plan', body: 'ship it' } }] },
        { kind: 'text', text: words.join(''), tokens: words, delayMs: 200 },
      );
      const asked = collector();
      await agent.manager.get(USER_ID).send(threadId, 'note the plan', asked);
      const approval = asked.ofType('approval_requested')[0]!.approval;
      let tokens = 0;
      const { options } = stopping(agent, threadId, (type) => type === 'token' && ++tokens === 2);
      const reject = [{ toolCallId: approval.items[0]!.toolCallId, action: 'reject' as const, reason: 'not now' }];
      await agent.run(threadId, (o) => agent.manager.get(USER_ID).decide(threadId, approval.interruptId, reject, o), options);

      const history = await (await harness()).manager.get(USER_ID).history(threadId);
      expect(history.runState).toEqual({ status: 'idle' });
      const card = history.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []))[0]!;
      expect(card).toMatchObject({ status: 'rejected', reason: 'not now' });
      expect(history.messages.at(-1)).toMatchObject({ role: 'assistant', text: 'sorry0 sorry1 ', stopped: true });
    });
  });
}
