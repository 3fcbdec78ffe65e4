/**
 * The approval inbox and each person's stream of changes to their chats (`chats.inbox`,
 * `chats.changes`): every approval waiting in the person's chats is listed until it is answered or
 * its chat deleted, the row is put right when it disagrees with the history, a reconnect replays
 * what it missed, and nobody sees another person's inbox or changes.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { PersonStreamEvent } from '../../shared/chats.ts';
import { follow, INTERNAL, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';
import { Recorder, signIn, type Person } from '../support/people.ts';

const NOTES_CREATE = 'countersign__notes_create';

let kit: FaultKit;
let ulf: Person;
beforeAll(async () => {
  kit = await startFaultKit();
  ulf = await signIn(kit.server.url, 'ulf@countersign.dev');
  await kit.person.client.api.servers.connect.mutate({ serverId: INTERNAL });
  // "Save a note titled X." asks for notes_create, which waits for the person's approval; anything else is text.
  kit.model.fallback((body) => {
    const last = body.messages.at(-1);
    const asked = last?.role === 'user' ? /^Save a note titled (.+)\.$/.exec(String(last.content ?? '')) : null;
    if (asked) return { kind: 'tool_calls', calls: [{ name: NOTES_CREATE, arguments: { title: asked[1]!, body: 'inbox test' } }] };
    return { kind: 'text', text: 'Done.' };
  });
});
afterAll(async () => {
  await ulf.client.close();
  await kit[Symbol.asyncDispose]();
});

/** Follows a person's changes from now (or from `lastEventId`), once the subscription has started. */
async function changesOf(person: Person, lastEventId?: string) {
  const recorder = new Recorder<PersonStreamEvent>();
  const started = Promise.withResolvers<void>();
  const subscription = person.client.api.chats.changes.subscribe(
    { lastEventId },
    { onData: recorder.push, onStarted: () => started.resolve() },
  );
  await started.promise;
  return { recorder, unsubscribe: () => subscription.unsubscribe() };
}

/** A chat of Uma's whose run waits for her approval of one note. */
async function awaitingApproval(title: string) {
  const chat = await newChat(kit.person, [INTERNAL]);
  await kit.person.client.api.chats.rename.mutate({ chatId: chat.id, title });
  const followed = await follow(kit.person, chat.id);
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: `Save a note titled ${title}.` });
  const asked = await followed.recorder.until((e) => e.type === 'approval_requested');
  followed.unsubscribe();
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  return { chat, approval: asked.approval };
}

const inboxOf = (person: Person) => person.client.api.chats.inbox.query();
const inboxChanged = (chatId: string, waiting: boolean) => (e: PersonStreamEvent) =>
  e.type === 'inbox_changed' && e.chatId === chatId && (e.entry !== null) === waiting;

test('approvals waiting in two chats are both listed, newest first, and deciding one takes it off', async () => {
  const { recorder, unsubscribe } = await changesOf(kit.person);
  const first = await awaitingApproval('Groceries');
  const second = await awaitingApproval('Holiday plans');
  await recorder.until(inboxChanged(second.chat.id, true));

  const inbox = await inboxOf(kit.person);
  expect(inbox.filter((e) => [first.chat.id, second.chat.id].includes(e.chatId))).toEqual([
    {
      chatId: second.chat.id,
      chatTitle: 'Holiday plans',
      interruptId: second.approval.interruptId,
      tools: [expect.any(String)],
      since: second.approval.requestedAt,
    },
    {
      chatId: first.chat.id,
      chatTitle: 'Groceries',
      interruptId: first.approval.interruptId,
      tools: [expect.any(String)],
      since: first.approval.requestedAt,
    },
  ]);
  expect(inbox[0]!.tools).toEqual(second.approval.items.map((item) => item.tool.title));

  const approve = first.approval.items.map((item) => ({ toolCallId: item.toolCallId, action: 'approve' as const }));
  await kit.person.client.api.chats.decide.mutate({ chatId: first.chat.id, interruptId: first.approval.interruptId, decisions: approve });
  await recorder.until(inboxChanged(first.chat.id, false));
  unsubscribe();

  const ids = (await inboxOf(kit.person)).map((e) => e.chatId);
  expect(ids).toContain(second.chat.id);
  expect(ids).not.toContain(first.chat.id);
});

test('deleting a chat that waits for an approval takes it off the inbox and tells the person’s other tabs', async () => {
  const { chat } = await awaitingApproval('Soon deleted');
  const { recorder, unsubscribe } = await changesOf(kit.person);
  await kit.person.client.api.chats.delete.mutate({ chatId: chat.id });
  await recorder.until((e) => e.type === 'chat_deleted' && e.chatId === chat.id);
  unsubscribe();

  expect(recorder.events.map((e) => e.data)).toContainEqual({ type: 'inbox_changed', chatId: chat.id, entry: null });
  expect((await inboxOf(kit.person)).map((e) => e.chatId)).not.toContain(chat.id);
});

test('a row that disagrees with the history is put right when the chat is read', async () => {
  const waiting = await awaitingApproval('Crashed mid-decision');
  const idle = await newChat(kit.person);
  // As a crash between answering an approval and clearing the row would leave them, and the reverse.
  const stale = JSON.stringify({ interruptId: 'gone', since: new Date().toISOString(), tools: ['Create note'] });
  kit.server.db.sqlite.run('UPDATE chats SET waiting_approval = ? WHERE id = ?', [stale, idle.id]);
  kit.server.db.sqlite.run('UPDATE chats SET waiting_approval = NULL WHERE id = ?', [waiting.chat.id]);
  expect((await inboxOf(kit.person)).map((e) => e.chatId)).toContain(idle.id);

  await kit.person.client.api.chats.get.query({ chatId: idle.id });
  await kit.person.client.api.chats.get.query({ chatId: waiting.chat.id });

  const inbox = await inboxOf(kit.person);
  expect(inbox.map((e) => e.chatId)).not.toContain(idle.id);
  expect(inbox.find((e) => e.chatId === waiting.chat.id)?.interruptId).toBe(waiting.approval.interruptId);
});

test('another person’s inbox never lists my approvals, and their changes never carry my chats', async () => {
  const ulfs = await changesOf(ulf);
  const { chat } = await awaitingApproval('Uma’s secret');
  await kit.person.client.api.chats.rename.mutate({ chatId: chat.id, title: 'Still Uma’s' });
  await kit.person.client.api.chats.delete.mutate({ chatId: chat.id });
  // Ulf's own change comes after Uma's on the server: once he sees it, he would have seen hers.
  const own = await ulf.client.api.chats.create.mutate({ title: 'Ulf’s own' });
  await ulfs.recorder.until((e) => e.type === 'chat_created' && e.chat.id === own.id);
  ulfs.unsubscribe();

  expect(ulfs.recorder.events.map((e) => e.data)).toEqual([{ type: 'chat_created', chat: own }]);
  expect(await inboxOf(ulf)).toEqual([]);
});

test('a reconnect with the last event id replays the changes it missed, in order', async () => {
  const first = await changesOf(kit.person);
  const chat = await kit.person.client.api.chats.create.mutate({ title: 'Before the drop' });
  await first.recorder.until((e) => e.type === 'chat_created' && e.chat.id === chat.id);
  const lastEventId = first.recorder.events.at(-1)!.id!;
  first.unsubscribe();

  await kit.person.client.api.chats.rename.mutate({ chatId: chat.id, title: 'While away' });
  await kit.person.client.api.chats.delete.mutate({ chatId: chat.id });

  const again = await changesOf(kit.person, lastEventId);
  await again.recorder.until((e) => e.type === 'chat_deleted');
  again.unsubscribe();
  expect(again.recorder.events.map((e) => e.data)).toEqual([
    { type: 'chat_updated', chat: expect.objectContaining({ id: chat.id, title: 'While away' }) },
    { type: 'chat_deleted', chatId: chat.id },
  ]);
});

test('an id the server cannot vouch for gets a reset, then live changes', async () => {
  const { recorder, unsubscribe } = await changesOf(kit.person, 'not-an-event.1');
  await recorder.until((e) => e.type === 'reset');
  const chat = await kit.person.client.api.chats.create.mutate({ title: 'After the reset' });
  await recorder.until((e) => e.type === 'chat_created' && e.chat.id === chat.id);
  unsubscribe();
  expect(recorder.types()).toEqual(['reset', 'chat_created']);
});

test('a last event id longer than any the server gives is refused, saying so', async () => {
  const error = await new Promise<Error>((resolve) => {
    const subscription = kit.person.client.api.chats.changes.subscribe(
      { lastEventId: 'x'.repeat(65) },
      {
        onError: (e) => {
          subscription.unsubscribe();
          resolve(e);
        },
      },
    );
  });
  expect(error.message).toContain('lastEventId');
});
