/**
 * Editing a sent message and regenerating an answer fork the chat; the old branch is kept, a
 * switch shows it again without running anything, and the model reads only the branch shown.
 * On both checkpointers (SQLite file, PostgreSQL schema), each reopened as after a restart.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteDatabase, type SqliteAppDatabase } from '../../db/database.ts';
import type { DomainError } from '../../server/domain-error.ts';
import type { ChatMessageDto } from '../../shared/chat-events.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { tempDir } from '../support/test-server.ts';
import { type CheckpointStore, checkpointStores } from './checkpoint-stores.ts';
import { collector, createChat, createHarness, FakeTools, getTimeTool, seedDatabase, text, USER_ID } from './support.ts';

const shown = (messages: ChatMessageDto[]) => messages.map((m) => `${m.role}: ${m.text}`);
/** What the model was sent in request `at`, without the system prompt. */
const sent = (fixture: OpenAIFixture, at: number) =>
  fixture.requests[at]!.body.messages.filter((m) => m.role !== 'system').map(
    (m) => `${m.role}: ${typeof m.content === 'string' ? m.content : ''}`,
  );

for (const { name, create } of checkpointStores) {
  describe(`branches on ${name}`, () => {
    let fixture: OpenAIFixture;
    let dir: string;
    let db: SqliteAppDatabase;
    let store: CheckpointStore;

    beforeEach(async () => {
      fixture = startOpenAIFixture();
      dir = tempDir('countersign-branches-');
      db = openSqliteDatabase(join(dir, 'app.db'));
      seedDatabase(db);
      store = await create(dir);
    });

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

    test('an edit forks the chat, the model reads only the branch shown, and switching back runs nothing again', async () => {
      const tools = new FakeTools().on('clock__get_time', () => text('09:00 in Paris'));
      const agent = await harness(tools);
      const handler = agent.manager.get(USER_ID);
      const { threadId } = createChat(db);
      fixture.script(
        { kind: 'text', text: 'Hello Ada.' },
        { kind: 'tool_calls', calls: [{ name: 'clock__get_time', arguments: { timezone: 'Europe/Paris' } }] },
        { kind: 'text', text: 'It is nine in Paris.' },
        { kind: 'text', text: 'It is two in Tokyo.' },
        { kind: 'text', text: 'Tokyo it is.' },
      );
      await handler.send(threadId, 'hi', collector());
      await handler.send(threadId, 'time in Paris?', collector());
      expect(tools.callsOf('clock__get_time')).toHaveLength(1);
      const paris = (await handler.history(threadId)).messages;
      const asked = paris.find((m) => m.role === 'user' && m.text === 'time in Paris?')!;

      const editing = collector();
      await handler.edit(threadId, asked.id, 'time in Tokyo?', editing);
      // The watchers saw the branch up to the edited message, then the new message.
      expect(shown(editing.ofType('branch_changed')[0]!.messages)).toEqual(['user: hi', 'assistant: Hello Ada.']);
      expect(editing.ofType('user_message')[0]!.message.text).toBe('time in Tokyo?');
      expect(sent(fixture, 3)).toEqual(['user: hi', 'assistant: Hello Ada.', 'user: time in Tokyo?']);

      const tokyo = (await handler.history(threadId)).messages;
      expect(shown(tokyo)).toEqual(['user: hi', 'assistant: Hello Ada.', 'user: time in Tokyo?', 'assistant: It is two in Tokyo.']);
      const edited = tokyo[2]!;
      expect(edited.role === 'user' && edited.branch).toEqual({ index: 1, versions: [asked.id, edited.id] });

      // After a restart: a new saver on the same storage.
      const restarted = (await harness(tools)).manager.get(USER_ID);
      const back = await restarted.switchBranch(threadId, asked.id);
      expect(shown(back.messages)).toEqual(shown(paris));
      const card = back.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []))[0]!;
      expect(card).toMatchObject({ status: 'succeeded', result: '09:00 in Paris' });
      expect(tools.callsOf('clock__get_time')).toHaveLength(1);
      expect(back.runState).toEqual({ status: 'idle' });

      // The next turn continues the branch shown, and only it reaches the model.
      await restarted.send(threadId, 'thanks', collector());
      expect(sent(fixture, 4)).toEqual([
        'user: hi',
        'assistant: Hello Ada.',
        'user: time in Paris?',
        'assistant: ',
        'tool: 09:00 in Paris',
        'assistant: It is nine in Paris.',
        'user: thanks',
      ]);

      // And the other version is still there, as it was.
      const again = await restarted.switchBranch(threadId, edited.id);
      expect(shown(again.messages)).toEqual(shown(tokyo));
    });

    test('a regenerate writes the answer again from the same message, and the versions sit on the answer', async () => {
      const agent = await harness();
      const handler = agent.manager.get(USER_ID);
      const { threadId } = createChat(db);
      fixture.script({ kind: 'text', text: 'First answer.' }, { kind: 'text', text: 'Second answer.' });
      await handler.send(threadId, 'tell me', collector());
      const first = (await handler.history(threadId)).messages;

      await handler.regenerate(threadId, first[1]!.id, collector());
      expect(sent(fixture, 1)).toEqual(['user: tell me']);
      const second = (await handler.history(threadId)).messages;
      expect(shown(second)).toEqual(['user: tell me', 'assistant: Second answer.']);
      const answer = second[1]!;
      expect(answer.role === 'assistant' && answer.branch).toEqual({ index: 1, versions: [first[0]!.id, second[0]!.id] });
      expect(second[0]!.role === 'user' && second[0]!.branch).toBeUndefined();

      const back = await handler.switchBranch(threadId, first[0]!.id);
      expect(shown(back.messages)).toEqual(['user: tell me', 'assistant: First answer.']);
      expect(back.messages[1]!.role === 'assistant' && back.messages[1]!.branch).toEqual({
        index: 0,
        versions: [first[0]!.id, second[0]!.id],
      });
    });

    test('a version that is not in the chat, and an edit of an answer, are refused', async () => {
      const handler = (await harness()).manager.get(USER_ID);
      const { threadId } = createChat(db);
      await handler.send(threadId, 'hi', collector());
      const [asked, answer] = (await handler.history(threadId)).messages;
      const refusal = (promise: Promise<unknown>) =>
        promise.then(
          () => undefined,
          (error: DomainError) => error.message,
        );
      expect(await refusal(handler.switchBranch(threadId, asked!.id))).toBe('That is not another version of a message shown in this chat.');
      expect(await refusal(handler.edit(threadId, answer!.id, 'x', collector()))).toBe('There is no such message of yours in this chat.');
      expect(await refusal(handler.regenerate(threadId, asked!.id, collector()))).toBe(
        'There is no such answer in this chat to regenerate.',
      );
    });
  });
}
