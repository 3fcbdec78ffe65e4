/**
 * Turn starts wait their turn: with one start slot (TURN_START_CONCURRENCY=1) and a model that
 * stays silent for messages starting "hold", a held run keeps the slot and every other run queues,
 * so the queue is observed without timing. People are served in turn, a waiting chat shows its
 * place, and Stop, delete and another person's hands behave as a person expects. Ada holds the
 * slot in every test; the others' sends stay within the per-person send allowance.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import type { RunState } from '../../shared/chat-events.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { finalState, follow, INTERNAL, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';

let kit: FaultKit;
let uma: Person;
let ulf: Person;
let ada: Person;
beforeAll(async () => {
  kit = await startFaultKit({ TURN_START_CONCURRENCY: '1' });
  uma = kit.person;
  ulf = await signIn(kit.server.url, 'ulf@countersign.dev');
  ada = await signIn(kit.server.url, 'ada@countersign.dev');
  kit.model.fallback((body) => {
    const last = String(body.messages.at(-1)?.content ?? '');
    return last.startsWith('hold') ? { kind: 'silent' } : { kind: 'text', text: `Answer to ${last}.` };
  });
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

const stateOf = async (person: Person, chatId: string): Promise<RunState> =>
  (await person.client.api.chats.get.query({ chatId })).history.runState;

const codeOf = (error: unknown) => (error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : String(error));

/**
 * Sends, and returns once the chat shows `queued`; the send itself is answered once the run
 * starts (`sent`, wrapped so that awaiting this does not wait for it).
 */
async function sendQueued(person: Person, chatId: string, text: string): Promise<{ sent: Promise<unknown> }> {
  const sent = person.client.api.chats.send.mutate({ chatId, text });
  sent.catch(() => {});
  await eventually(async () => (await stateOf(person, chatId)).status === 'queued', `${text} queued`);
  return { sent };
}

/** Ada holds the only start slot: the model stays silent, so her run never leaves its start phase. */
async function holdSlot() {
  const chat = await newChat(ada);
  await ada.client.api.chats.send.mutate({ chatId: chat.id, text: 'hold the slot' });
  return { release: () => ada.client.api.chats.stop.mutate({ chatId: chat.id }) };
}

/** The order in which the model was asked to answer these messages. */
const askedOrder = (texts: string[]) =>
  kit.model.requests.map((r) => String(r.body.messages.at(-1)?.content)).filter((text) => texts.includes(text));

test('people are served in turn: one person with many chats waiting does not hold up another; each waiting chat sees its place move', async () => {
  const holder = await holdSlot();
  const umas = await Promise.all([1, 2, 3, 4].map(() => newChat(uma)));
  const ulfs = await newChat(ulf);
  const last = await follow(uma, umas[3]!.id);

  const sends = [(await sendQueued(uma, umas[0]!.id, 'hold a1')).sent];
  for (const [i, chat] of umas.slice(1).entries()) sends.push((await sendQueued(uma, chat.id, `a${i + 2}`)).sent);
  sends.push((await sendQueued(ulf, ulfs.id, 'u1')).sent);

  // Ulf's one run goes after Uma's first, not after all four of hers: her last moved back one.
  expect(await stateOf(ulf, ulfs.id)).toEqual({ status: 'queued', position: 1, message: { text: 'u1' } });
  expect(await stateOf(uma, umas[3]!.id)).toEqual({ status: 'queued', position: 4, message: { text: 'a4' } });
  const queuedAt = (position: number) => (e: ChatStreamEvent) =>
    e.type === 'run_state' && e.state.status === 'queued' && e.state.position === position;
  await last.recorder.until(queuedAt(4));

  // The held run stops; Uma's first takes the slot (and holds it too): everyone moves up one.
  const mark = last.recorder.events.length;
  await holder.release();
  await eventually(() => last.recorder.events.slice(mark).some(({ data }) => queuedAt(3)(data)), 'Uma’s last chat told it moved up');
  expect(await stateOf(ulf, ulfs.id)).toEqual({ status: 'queued', position: 0, message: { text: 'u1' } });

  await uma.client.api.chats.stop.mutate({ chatId: umas[0]!.id });
  expect(await finalState(last.recorder)).toEqual({ status: 'idle' });
  last.unsubscribe();
  await Promise.allSettled(sends);
  expect(askedOrder(['hold a1', 'u1', 'a2', 'a3', 'a4'])).toEqual(['hold a1', 'u1', 'a2', 'a3', 'a4']);
  const positions = last.recorder.events.flatMap(({ data }) =>
    data.type === 'run_state' && data.state.status === 'queued' ? [data.state.position] : [],
  );
  // Told 3 when it joined, 4 when Ulf's run went ahead, and from then on only lower.
  expect(positions.slice(0, 2)).toEqual([3, 4]);
  expect(positions.slice(1)).toEqual(positions.slice(1).sort((a, b) => b - a));
  expect(await stateOf(uma, umas[3]!.id)).toEqual({ status: 'idle' });
});

test('Stop on a waiting run takes it out of the queue: nothing was started, the chat is as it was, the send says so', async () => {
  const holder = await holdSlot();
  const chat = await newChat(uma);
  const followed = await follow(uma, chat.id);
  const { sent } = await sendQueued(uma, chat.id, 'never started');
  // A second send to a waiting chat is refused, as one to a chat that is answering.
  expect(codeOf(await uma.client.api.chats.send.mutate({ chatId: chat.id, text: 'again' }).catch((e) => e))).toBe('CONFLICT');

  expect(await uma.client.api.chats.stop.mutate({ chatId: chat.id })).toEqual({ stopped: true });
  expect(codeOf(await sent.catch((e) => e))).toBe('CONFLICT');
  expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
  followed.unsubscribe();
  const { history } = await uma.client.api.chats.get.query({ chatId: chat.id });
  expect(history.messages).toEqual([]);
  expect(history.runState).toEqual({ status: 'idle' });

  await holder.release();
  // The chat takes a new message as usual.
  const again = await follow(uma, chat.id);
  await uma.client.api.chats.send.mutate({ chatId: chat.id, text: 'now it starts' });
  expect(await finalState(again.recorder)).toEqual({ status: 'idle' });
  again.unsubscribe();
  expect(askedOrder(['never started', 'now it starts'])).toEqual(['now it starts']);
});

test('deleting a waiting chat takes its run out of the queue; the next one starts in its place', async () => {
  const holder = await holdSlot();
  const doomed = await newChat(ulf);
  const next = await newChat(ulf);
  const { sent: sentDoomed } = await sendQueued(ulf, doomed.id, 'deleted while waiting');
  const { sent: sentNext } = await sendQueued(ulf, next.id, 'after the deleted one');
  expect(await stateOf(ulf, next.id)).toEqual({ status: 'queued', position: 1, message: { text: 'after the deleted one' } });

  await ulf.client.api.chats.delete.mutate({ chatId: doomed.id });
  expect(codeOf(await sentDoomed.catch((e) => e))).toBe('CONFLICT');
  await eventually(async () => {
    const state = await stateOf(ulf, next.id);
    return state.status === 'queued' && state.position === 0;
  }, 'the next chat moved up');

  const followed = await follow(ulf, next.id);
  await holder.release();
  await sentNext;
  expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
  followed.unsubscribe();
  expect(askedOrder(['deleted while waiting', 'after the deleted one'])).toEqual(['after the deleted one']);
});

test('a message waiting for a slot is shown as waiting: after a reload, and to every watcher; once the run starts it is in the history once', async () => {
  const holder = await holdSlot();
  const chat = await newChat(uma);
  const watching = await follow(uma, chat.id);
  const { sent } = await sendQueued(uma, chat.id, 'wait for me');
  const waiting: RunState = { status: 'queued', position: 0, message: { text: 'wait for me' } };

  // A page (re)loading the chat: not in the history yet, but part of the run that waits.
  const loaded = await uma.client.api.chats.get.query({ chatId: chat.id });
  expect(loaded.history.messages).toEqual([]);
  expect(loaded.history.runState).toEqual(waiting);
  // A tab that was already watching heard it as the run queued.
  await watching.recorder.until((e) => e.type === 'run_state' && e.state.status === 'queued' && e.state.message?.text === 'wait for me');

  const reloaded = await follow(uma, chat.id, loaded.cursor);
  await holder.release();
  await sent;
  for (const { recorder } of [watching, reloaded]) {
    expect(await finalState(recorder)).toEqual({ status: 'idle' });
    expect(recorder.events.flatMap(({ data }) => (data.type === 'user_message' ? [data.message.text] : []))).toEqual(['wait for me']);
  }
  watching.unsubscribe();
  reloaded.unsubscribe();
  const { history } = await uma.client.api.chats.get.query({ chatId: chat.id });
  expect(history.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['wait for me']);
  expect(history.runState).toEqual({ status: 'idle' });
});

test('a send that waited and is then refused (the chat awaits a decision) leaves the chat as it was for its watchers: its message was never sent', async () => {
  await ulf.client.api.servers.connect.mutate({ serverId: INTERNAL });
  const chat = await newChat(ulf, [INTERNAL]);
  const watching = await follow(ulf, chat.id);
  kit.model.script({ kind: 'tool_calls', calls: [{ name: 'countersign__notes_create', arguments: { title: 'Asked first', body: '' } }] });
  await ulf.client.api.chats.send.mutate({ chatId: chat.id, text: 'Save a note, please.' });
  const asked = await watching.recorder.until((e) => e.type === 'approval_requested');
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  await eventually(async () => (await stateOf(ulf, chat.id)).status === 'awaiting_approval', 'the first run settled');

  const holder = await holdSlot();
  const mark = watching.recorder.events.length;
  const { sent } = await sendQueued(ulf, chat.id, 'not while a decision is pending');
  await holder.release();
  expect(codeOf(await sent.catch((e) => e))).toBe('CONFLICT');
  const after = () => watching.recorder.events.slice(mark).map(({ data }) => data);
  await eventually(
    async () => after().some((e) => e.type === 'run_state' && e.state.status === 'awaiting_approval'),
    'watchers told where the chat stands',
  );
  watching.unsubscribe();
  expect(after().filter((e) => e.type === 'user_message')).toEqual([]);
  const { history } = await ulf.client.api.chats.get.query({ chatId: chat.id });
  expect(history.runState).toEqual({ status: 'awaiting_approval', interruptId: asked.approval.interruptId });
  expect(history.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['Save a note, please.']);
});

test('another person can neither see nor stop a waiting run', async () => {
  const holder = await holdSlot();
  const chat = await newChat(uma);
  const { sent } = await sendQueued(uma, chat.id, 'mine alone');

  expect(codeOf(await ulf.client.api.chats.stop.mutate({ chatId: chat.id }).catch((e) => e))).toBe('NOT_FOUND');
  expect(codeOf(await ulf.client.api.chats.get.query({ chatId: chat.id }).catch((e) => e))).toBe('NOT_FOUND');
  expect(await stateOf(uma, chat.id)).toEqual({ status: 'queued', position: 0, message: { text: 'mine alone' } });

  const followed = await follow(uma, chat.id);
  await holder.release();
  await sent;
  expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
  followed.unsubscribe();
});
