/**
 * A third-party MCP server (server-everything over stdio, from the seeded catalogue) killed while
 * one of its tools runs: the tool card fails with an error naming the server, the model is told,
 * the chat goes on, and a later call reconnects to a fresh server process.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { finalState, follow, newChat, startFaultKit, type FaultKit } from './support.ts';

const EVERYTHING = 'mcp-everything';
let kit: FaultKit;
let userId: string;
beforeAll(async () => {
  kit = await startFaultKit();
  userId = (await kit.person.client.api.auth.me.query()).id;
  await kit.person.client.api.servers.connect.mutate({ serverId: EVERYTHING });
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

/** Sends `text`, approves the one tool call it leads to, and returns the recorder once the run settles. */
async function approvedTurn(chatId: string, text: string, whileRunning?: () => void) {
  const api = kit.person.client.api;
  const { recorder, unsubscribe } = await follow(kit.person, chatId);
  await api.chats.send.mutate({ chatId, text });
  const asked = await recorder.until((e) => e.type === 'approval_requested');
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  await api.chats.decide.mutate({
    chatId,
    interruptId: asked.approval.interruptId,
    decisions: asked.approval.items.map((item) => ({ toolCallId: item.toolCallId, action: 'approve' as const })),
  });
  await recorder.until((e) => e.type === 'tool_started');
  whileRunning?.();
  const state = await finalState(recorder);
  unsubscribe();
  const finished = recorder.events.flatMap((e) => (e.data.type === 'tool_finished' ? [e.data.card] : []));
  return { state, finished };
}

test('an MCP server killed mid-call: a clear error in the tool card, the chat goes on, and a later call reconnects', async () => {
  const api = kit.person.client.api;
  const chat = await newChat(kit.person, [EVERYTHING]);
  const pid = kit.server.mcpHandlers.forUser(userId).processId(EVERYTHING);
  expect(pid).toBeNumber();

  kit.model.script(
    { kind: 'tool_calls', calls: [{ name: 'everything__trigger-long-running-operation', arguments: { duration: 30, steps: 30 } }] },
    { kind: 'text', text: 'That operation failed; the server went away.' },
  );
  const killed = await approvedTurn(chat.id, 'Run the long operation.', () => process.kill(pid!, 'SIGKILL'));
  expect(killed.state).toEqual({ status: 'idle' });
  expect(killed.finished).toEqual([
    expect.objectContaining({
      status: 'failed',
      result: expect.stringContaining('Everything'),
      tool: expect.objectContaining({ name: 'trigger-long-running-operation' }),
    }),
  ]);
  // The model heard about the failure in the tool message and answered the person.
  const toolMessage = kit.model.requests.at(-1)!.body.messages.find((m) => m.role === 'tool');
  expect(JSON.stringify(toolMessage?.content)).toContain('Everything');

  kit.model.script({ kind: 'text', text: 'Still here.' });
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  await api.chats.send.mutate({ chatId: chat.id, text: 'Are you still there?' });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();

  // The connection is retried after a short backoff; listing the servers shows it back.
  await eventually(
    async () => (await api.servers.list.query()).find((s) => s.id === EVERYTHING)?.connection === 'connected',
    'the server to reconnect',
  );
  expect(kit.server.mcpHandlers.forUser(userId).processId(EVERYTHING)).not.toBe(pid);
  kit.model.script(
    { kind: 'tool_calls', calls: [{ name: 'everything__echo', arguments: { message: 'back again' } }] },
    { kind: 'text', text: 'It echoed.' },
  );
  const again = await approvedTurn(chat.id, 'Echo something.');
  expect(again.finished).toEqual([expect.objectContaining({ status: 'succeeded', result: 'Echo: back again' })]);
  const { history } = await api.chats.get.query({ chatId: chat.id });
  expect(history.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual([
    'Run the long operation.',
    'Are you still there?',
    'Echo something.',
  ]);
}, 60_000);
