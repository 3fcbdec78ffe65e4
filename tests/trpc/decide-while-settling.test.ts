/**
 * A decision that arrives while the run that asked for it is still winding down (the approval
 * event reaches the person before the run has released the chat). Deterministic: the decision is
 * made inside the approval event's own delivery, when the run certainly still holds the chat.
 * It waits for that run and is applied; a second decision at that moment, or a decision during a
 * run that did not ask for it, is refused with CONFLICT.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { ChatStore } from '../../server/chats/chat-store.ts';
import { DomainError } from '../../server/domain-error.ts';
import { trpcCodeOf } from '../../server/trpc/domain-errors.ts';
import type { ChatEvent } from '../../shared/chat-events.ts';
import { finalState, follow, INTERNAL, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';

let kit: FaultKit;
let userId: string;
let store: ChatStore;
beforeAll(async () => {
  kit = await startFaultKit();
  await kit.person.client.api.servers.connect.mutate({ serverId: INTERNAL });
  userId = (await kit.person.client.api.auth.me.query()).id;
  store = new ChatStore(kit.server.db);
  // Answers from the request alone, so no test depends on what another left in a script queue.
  kit.model.fallback((body) => {
    const last = body.messages.at(-1);
    const title = last?.role === 'user' ? /^Save a note titled (.+)\.$/.exec(String(last.content))?.[1] : undefined;
    if (title)
      return { kind: 'tool_calls', calls: [{ name: 'countersign__notes_create', arguments: { title, body: 'decided while settling' } }] };
    return { kind: 'text', text: last?.role === 'tool' ? 'Your note is saved.' : 'Just words, no tools.' };
  });
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

/** Calls `decide` synchronously from inside the delivery of the chat's first event matching `when`. */
function decideOn(
  chatId: string,
  when: (event: ChatEvent) => boolean,
  decide: (event: ChatEvent) => Promise<void>[],
): Promise<PromiseSettledResult<void>[]> {
  const { promise, resolve } = Promise.withResolvers<PromiseSettledResult<void>[]>();
  const unsubscribe = kit.server.chats.hub.subscribe(chatId, ({ data }) => {
    if (!when(data)) return;
    unsubscribe();
    void Promise.allSettled(decide(data)).then(resolve);
  });
  return promise;
}

const codeOf = (outcome: PromiseSettledResult<void>) =>
  outcome.status === 'fulfilled' ? 'accepted' : outcome.reason instanceof DomainError ? trpcCodeOf(outcome.reason) : String(outcome.reason);

async function newChatRow() {
  const chat = await newChat(kit.person, [INTERNAL]);
  return { chat, row: (await store.get(userId, chat.id))! };
}

const notesTitled = (title: string) =>
  kit.server.db.sqlite.query<{ n: number }, [string]>('SELECT count(*) AS n FROM notes WHERE title = ?').get(title)?.n;

test('a decision sent the moment its approval is announced waits for the run to settle, then is applied', async () => {
  const { chat, row } = await newChatRow();
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  const outcomes = decideOn(
    chat.id,
    (e) => e.type === 'approval_requested',
    (e) => {
      if (e.type !== 'approval_requested') throw new Error('unreachable');
      const decisions = e.approval.items.map((item) => ({ toolCallId: item.toolCallId, action: 'approve' as const }));
      return [kit.server.chats.decide(userId, row, e.approval.interruptId, decisions, [])];
    },
  );
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Save a note titled Quick click.' });

  expect((await outcomes).map(codeOf)).toEqual(['accepted']);
  await recorder.until((e) => e.type === 'tool_finished');
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  expect(notesTitled('Quick click')).toBe(1);
  const { history } = await kit.person.client.api.chats.get.query({ chatId: chat.id });
  expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
});

test('two decisions sent at that moment: one waits and is applied, the other is CONFLICT', async () => {
  const { chat, row } = await newChatRow();
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  const outcomes = decideOn(
    chat.id,
    (e) => e.type === 'approval_requested',
    (e) => {
      if (e.type !== 'approval_requested') throw new Error('unreachable');
      const decisions = e.approval.items.map((item) => ({ toolCallId: item.toolCallId, action: 'approve' as const }));
      const decide = () => kit.server.chats.decide(userId, row, e.approval.interruptId, decisions, []);
      return [decide(), decide()];
    },
  );
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Save a note titled Double click.' });

  expect((await outcomes).map(codeOf).sort()).toEqual(['CONFLICT', 'accepted']);
  await recorder.until((e) => e.type === 'tool_finished');
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  expect(notesTitled('Double click')).toBe(1);
});

test('a decision during a run that did not ask for it is CONFLICT at once', async () => {
  const { chat, row } = await newChatRow();
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  const outcomes = decideOn(
    chat.id,
    (e) => e.type === 'run_state' && e.state.status === 'running',
    () => [kit.server.chats.decide(userId, row, 'an-approval-this-run-never-raised', [{ toolCallId: 'call', action: 'approve' }], [])],
  );
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Hello.' });

  expect((await outcomes).map(codeOf)).toEqual(['CONFLICT']);
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
});
