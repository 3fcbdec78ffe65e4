/**
 * "Always allow in this chat" is stored only with a decision that was accepted, and only for tools
 * the person saw in that approval and let run: a refused decision (stale, or invalid) stores
 * nothing, and neither a tool the approval did not show nor one the decision rejected is allowed.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import type { Recorder } from '../support/people.ts';
import { finalState, follow, INTERNAL, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';

const NOTES_CREATE = 'countersign__notes_create';
const CALCULATE = 'countersign__calculate';

let kit: FaultKit;
beforeAll(async () => {
  kit = await startFaultKit();
  await kit.person.client.api.servers.connect.mutate({ serverId: INTERNAL });
  // Answers from the request alone, so no test depends on what another left in a script queue:
  // "Save a note titled X" (or "Save two notes titled X") asks for notes_create; anything else is text.
  kit.model.fallback((body) => {
    const last = body.messages.at(-1);
    const text = String(last?.content ?? '');
    const asked = last?.role === 'user' ? /^Save (a note|two notes) titled (.+)\.$/.exec(text) : null;
    if (asked) return { kind: 'tool_calls', calls: [{ name: NOTES_CREATE, arguments: { title: asked[2]!, body: 'always allow test' } }] };
    // After the first note of "two notes", the model asks for the same tool once more in the same turn.
    const firstOfTwo = body.messages.findLast((m) => m.role === 'user')?.content;
    const toolResults = body.messages.filter((m) => m.role === 'tool').length;
    const two = /^Save two notes titled (.+)\.$/.exec(String(firstOfTwo ?? ''));
    if (last?.role === 'tool' && two && toolResults === 1) {
      return { kind: 'tool_calls', calls: [{ name: NOTES_CREATE, arguments: { title: `${two[1]} again`, body: 'second call' } }] };
    }
    return { kind: 'text', text: 'Done.' };
  });
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

async function askForNote(text: string) {
  const chat = await newChat(kit.person, [INTERNAL]);
  const followed = await follow(kit.person, chat.id);
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text });
  const asked = await followed.recorder.until((e) => e.type === 'approval_requested');
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  return { chat, approval: asked.approval, ...followed };
}

const alwaysAllowedIn = async (chatId: string) => (await kit.person.client.api.chats.get.query({ chatId })).chat.alwaysAllowed;
const codeOf = (error: unknown) => (error instanceof TRPCClientError ? error.data?.code : String(error));
const approvals = (recorder: Recorder<ChatStreamEvent>) => recorder.types().filter((t) => t === 'approval_requested').length;

test('a decision refused as stale or invalid stores nothing', async () => {
  const { chat, approval, unsubscribe } = await askForNote('Save a note titled Refused.');
  const api = kit.person.client.api;
  const approve = [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' as const }];

  const stale = await api.chats.decide
    .mutate({ chatId: chat.id, interruptId: 'not-the-pending-one', decisions: approve, alwaysAllow: [NOTES_CREATE] })
    .catch(codeOf);
  expect(stale).toBe('CONFLICT');
  const invalid = await api.chats.decide
    .mutate({
      chatId: chat.id,
      interruptId: approval.interruptId,
      decisions: [{ toolCallId: 'not-in-this-approval', action: 'approve' }],
      alwaysAllow: [NOTES_CREATE],
    })
    .catch(codeOf);
  expect(invalid).toBe('BAD_REQUEST');
  unsubscribe();

  expect(await alwaysAllowedIn(chat.id)).toEqual([]);
  const { history } = await api.chats.get.query({ chatId: chat.id });
  expect(history.runState).toEqual({ status: 'awaiting_approval', interruptId: approval.interruptId });
});

test('only tools shown in the approval are stored, never a tool it did not show', async () => {
  const { chat, approval, recorder, unsubscribe } = await askForNote('Save a note titled Shown.');
  await kit.person.client.api.chats.decide.mutate({
    chatId: chat.id,
    interruptId: approval.interruptId,
    decisions: [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' }],
    alwaysAllow: [CALCULATE, 'someone__elses_tool', NOTES_CREATE],
  });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  expect(await alwaysAllowedIn(chat.id)).toEqual([NOTES_CREATE]);
});

test('a tool whose call the decision rejected is not stored', async () => {
  const { chat, approval, recorder, unsubscribe } = await askForNote('Save a note titled Rejected.');
  await kit.person.client.api.chats.decide.mutate({
    chatId: chat.id,
    interruptId: approval.interruptId,
    decisions: [{ toolCallId: approval.items[0]!.toolCallId, action: 'reject', reason: 'not now' }],
    alwaysAllow: [NOTES_CREATE],
  });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  expect(await alwaysAllowedIn(chat.id)).toEqual([]);
});

test('an accepted "always allow" applies at once: the same tool again in that turn runs without asking', async () => {
  const { chat, approval, recorder, unsubscribe } = await askForNote('Save two notes titled Allowed.');
  await kit.person.client.api.chats.decide.mutate({
    chatId: chat.id,
    interruptId: approval.interruptId,
    decisions: [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' }],
    alwaysAllow: [NOTES_CREATE],
  });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  expect(await alwaysAllowedIn(chat.id)).toEqual([NOTES_CREATE]);
  expect(approvals(recorder)).toBe(1);
  expect(recorder.types().filter((t) => t === 'tool_finished')).toHaveLength(2);
  const saved = kit.server.db.sqlite
    .query<{ title: string }, []>("SELECT title FROM notes WHERE title LIKE 'Allowed%' ORDER BY title")
    .all();
  expect(saved.map((n) => n.title)).toEqual(['Allowed', 'Allowed again']);
});
