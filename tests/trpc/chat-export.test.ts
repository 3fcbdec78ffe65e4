/**
 * `chats.export` through the typed client: a chat with an approved call, an edited one, a rejected
 * one with a reason, one policy ran without asking, and a plain answer (scripted model, built-in
 * MCP server), exported as JSON that re-reads with every decision, and as Markdown that shows each;
 * another person's chat is not found.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { ChatExport, ExportedToolCall } from '../../shared/chat-export.ts';
import { finalState, follow, INTERNAL, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';
import { signIn, type Person } from '../support/people.ts';
import { refusal } from '../support/refusal.ts';

let kit: FaultKit;
let ulf: Person;
let chatId: string;
let umaId: string;

const call = (name: string, args: Record<string, unknown>) => ({
  kind: 'tool_calls' as const,
  calls: [{ name: `countersign__${name}`, arguments: args }],
});

/** Sends a message and, when the model asks, answers with `decide`; returns once the run settled. */
async function turn(text: string, decide?: (toolCallId: string) => Record<string, unknown>) {
  const api = kit.person.client.api;
  const { recorder, unsubscribe } = await follow(kit.person, chatId);
  await api.chats.send.mutate({ chatId, text });
  if (decide) {
    const asked = await recorder.until((e) => e.type === 'approval_requested');
    if (asked.type !== 'approval_requested') throw new Error('unreachable');
    const toolCallId = asked.approval.items[0]!.toolCallId;
    await api.chats.decide.mutate({
      chatId,
      interruptId: asked.approval.interruptId,
      decisions: [{ toolCallId, ...decide(toolCallId) } as never],
    });
  }
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
}

beforeAll(async () => {
  kit = await startFaultKit({}, 'uma@countersign.dev');
  ulf = await signIn(kit.server.url, 'ulf@countersign.dev');
  umaId = (await kit.person.client.api.auth.me.query()).id;
  await kit.person.client.api.servers.connect.mutate({ serverId: INTERNAL });
  chatId = (await newChat(kit.person, [INTERNAL])).id;

  kit.model.script(call('notes_create', { title: 'Groceries', body: 'milk' }), { kind: 'text', text: 'Saved Groceries.' });
  await turn('Save my groceries list.', () => ({ action: 'approve' }));
  kit.model.script(call('notes_create', { title: 'Draft', body: 'plans' }), { kind: 'text', text: 'Saved it as Final.' });
  await turn('Save my plans.', () => ({ action: 'edit', arguments: { title: 'Final', body: 'plans' } }));
  kit.model.script(call('notes_create', { title: 'Spam', body: 'buy now' }), { kind: 'text', text: 'Understood, no note.' });
  await turn('Save this advert.', () => ({ action: 'reject', reason: 'Adverts do not belong in my notes' }));
  kit.model.script(call('calculate', { expression: '2+3*4' }), { kind: 'text', text: 'It is 14.' });
  await turn('What is 2+3*4?');
  kit.model.script({ kind: 'text', text: 'Hello, Uma, nothing to run here.' });
  await turn('Just say hello.');
}, 60_000);
afterAll(async () => {
  await ulf.client.close();
  await kit[Symbol.asyncDispose]();
});

const cardsOf = (doc: ChatExport): ExportedToolCall[] => doc.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []));

describe('exporting a chat', () => {
  test('JSON re-reads with the chat, every message, and every decision with who made it and why', async () => {
    const file = await kit.person.client.api.chats.export.query({ chatId, format: 'json' });
    expect(file).toMatchObject({ format: 'json', fileName: 'Fault test.json', mediaType: 'application/json' });
    const doc = JSON.parse(file.content) as ChatExport;
    expect(doc).toMatchObject({ format: 'countersign-chat', version: 1, chat: { id: chatId, title: 'Fault test' }, leftOut: [] });

    const live = await kit.person.client.api.chats.get.query({ chatId });
    expect(doc.messages.map((m) => [m.role, m.text])).toEqual(live.history.messages.map((m) => [m.role, m.text]));

    const uma = { kind: 'person', userId: umaId, name: 'Uma User' };
    const [approved, edited, rejected, auto] = cardsOf(doc);
    expect(approved).toMatchObject({
      status: 'succeeded',
      decision: 'approved',
      decidedBy: uma,
      arguments: { title: 'Groceries', body: 'milk' },
    });
    expect(approved?.proposedArguments).toBeUndefined();
    expect(approved?.result).toContain('Groceries');
    expect(edited).toMatchObject({
      status: 'succeeded',
      decision: 'edited',
      decidedBy: uma,
      arguments: { title: 'Final', body: 'plans' },
      proposedArguments: { title: 'Draft', body: 'plans' },
    });
    expect(rejected).toMatchObject({
      status: 'rejected',
      decision: 'rejected',
      decidedBy: uma,
      reason: 'Adverts do not belong in my notes',
    });
    expect(auto).toMatchObject({
      status: 'succeeded',
      decision: 'auto',
      decidedBy: { kind: 'policy' },
      arguments: { expression: '2+3*4' },
    });
    expect(auto?.result).toContain('14');
    expect(doc.messages.at(-1)).toMatchObject({ role: 'assistant', text: 'Hello, Uma, nothing to run here.', toolCalls: [] });
  });

  test('Markdown shows each message, each call with its arguments, the decision line, and the result', async () => {
    const file = await kit.person.client.api.chats.export.query({ chatId, format: 'markdown' });
    expect(file).toMatchObject({ format: 'markdown', fileName: 'Fault test.md', mediaType: 'text/markdown' });
    const md = file.content;
    expect(md.startsWith('# Fault test\n')).toBe(true);
    expect(md).toContain('## Uma User\n\nSave my groceries list.');
    expect(md).toContain('### Tool call: notes_create (Countersign)');
    expect(md).toContain('**Approved by Uma User**');
    expect(md).toContain('**Edited and approved by Uma User**');
    expect(md).toContain('Arguments, as edited:\n\n```json\n{\n  "title": "Final",\n  "body": "plans"\n}\n```');
    expect(md).toContain('Arguments the model proposed:\n\n```json\n{\n  "title": "Draft",\n  "body": "plans"\n}\n```');
    expect(md).toMatch(/\*\*Rejected by Uma User\*\* \([^)]*\) — reason: Adverts do not belong in my notes/);
    expect(md).toContain('**Ran without asking: policy**');
    expect(md).toMatch(/Result:\n\n```\n[^`]*14/);
    expect(md).toContain('## Assistant\n\nHello, Uma, nothing to run here.');
    expect(md).not.toContain('Left out of this export');
  });

  test("another person's chat is not found, in either format", async () => {
    for (const format of ['json', 'markdown'] as const) {
      expect(await refusal(ulf.client.api.chats.export.query({ chatId, format }))).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  test('an unknown format is refused, naming the formats there are', async () => {
    const bad = await refusal(kit.person.client.api.chats.export.query({ chatId, format: 'pdf' as never }));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining("'markdown' or 'json'") });
  });
});
