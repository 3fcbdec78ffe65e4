/**
 * A whole conversation through the typed client, as another service would drive it: real
 * sign-in, real HTTP and WebSocket, the internal MCP server and the offline demo model.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { follow, INTERNAL } from '../faults/support.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let uma: Person;

beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
});

describe('a conversation through the typed client', () => {
  test('initialize → servers → connect → chat → tool call approved → streamed answer → history', async () => {
    const api = uma.client.api;
    const init = await api.session.initialize.mutate();
    expect(init.user.email).toBe('uma@countersign.dev');
    expect(init.model.offlineDemo).toBe(true);
    expect(init.devSignIn).toBe(true);

    const servers = await api.servers.list.query();
    expect(servers.map((s) => s.id)).toContain(INTERNAL);
    const connected = await api.servers.connect.mutate({ serverId: INTERNAL });
    expect(connected.connection).toBe('connected');
    expect(connected.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['notes_create', 'notes_list', 'calculate']));

    const chat = await api.chats.create.mutate({});
    expect(chat.enabledServers).toEqual([INTERNAL]);
    const { cursor } = await api.chats.get.query({ chatId: chat.id });
    const { recorder, unsubscribe } = await follow(uma, chat.id, cursor);

    await api.chats.send.mutate({ chatId: chat.id, text: 'Please create a note titled Groceries: milk and eggs' });
    const asked = await recorder.until((e) => e.type === 'approval_requested');
    if (asked.type !== 'approval_requested') throw new Error('unreachable');
    const [item] = asked.approval.items;
    expect(item?.tool.name).toBe('notes_create');
    expect(item?.arguments).toMatchObject({ title: 'Groceries' });

    await api.chats.decide.mutate({
      chatId: chat.id,
      interruptId: asked.approval.interruptId,
      decisions: [{ toolCallId: item!.toolCallId, action: 'approve' }],
    });
    await recorder.until((e) => e.type === 'run_state' && e.state.status === 'idle');
    unsubscribe();

    const types = recorder.types();
    expect(recorder.events[0]?.data).toMatchObject({
      type: 'user_message',
      message: { role: 'user', text: expect.stringContaining('Groceries') },
    });
    expect(types.filter((t) => t === 'token').length).toBeGreaterThan(3);
    expect(types).toEqual(expect.arrayContaining(['tool_started', 'tool_finished', 'assistant_message']));
    expect(types.indexOf('tool_finished')).toBeLessThan(types.lastIndexOf('assistant_message'));

    const { history } = await api.chats.get.query({ chatId: chat.id });
    expect(history.pendingApproval).toBeNull();
    expect(history.runState.status).toBe('idle');
    expect(history.messages[0]).toMatchObject({ role: 'user', text: expect.stringContaining('Groceries') });
    const card = history.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : [])).find((c) => c.tool.name === 'notes_create');
    expect(card).toMatchObject({ status: 'succeeded', decision: 'approved', decidedBy: { kind: 'person' } });
    const last = history.messages.at(-1);
    expect(last?.role).toBe('assistant');
    expect(last && 'text' in last ? last.text.length : 0).toBeGreaterThan(0);

    // The second decision on the same request is refused and changes nothing.
    const again = api.chats.decide.mutate({
      chatId: chat.id,
      interruptId: asked.approval.interruptId,
      decisions: [{ toolCallId: item!.toolCallId, action: 'approve' }],
    });
    await expect(again).rejects.toThrow(/no longer pending/);
    const after = await api.chats.get.query({ chatId: chat.id });
    expect(after.history.messages).toEqual(history.messages);

    // The chat got a title from its first exchange.
    const listed = await api.chats.list.query({});
    expect(listed.items.find((c) => c.id === chat.id)?.title).not.toBe('New chat');
  });

  test('a client that reconnects with lastEventId receives exactly the events it missed', async () => {
    const api = uma.client.api;
    await api.servers.connect.mutate({ serverId: INTERNAL });
    const chat = await api.chats.create.mutate({ enabledServers: [INTERNAL] });
    const { cursor } = await api.chats.get.query({ chatId: chat.id });
    const steady = await follow(uma, chat.id, cursor);
    const flaky = await follow(uma, chat.id, cursor);

    await api.chats.send.mutate({ chatId: chat.id, text: 'Tell me a little about yourself, at some length please.' });
    await flaky.recorder.until((e) => e.type === 'token');
    flaky.unsubscribe();
    const lastSeen = flaky.recorder.events.at(-1)!.id!;
    // The last event of a new chat's first turn is its title, given after the run went idle.
    await steady.recorder.until((e) => e.type === 'chat_updated');

    const resumed = await follow(uma, chat.id, lastSeen);
    await resumed.recorder.until((e) => e.type === 'chat_updated');
    resumed.unsubscribe();
    steady.unsubscribe();

    const ids = (events: { id: string | undefined }[]) => events.map((e) => e.id);
    const seenBefore = ids(flaky.recorder.events);
    const combined = [...seenBefore, ...ids(resumed.recorder.events)];
    expect(combined).toEqual(ids(steady.recorder.events));
    expect(new Set(combined).size).toBe(combined.length);
  });

  test('an id the server no longer knows gets a clear reset signal', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    const stale = await follow(uma, chat.id, 'oldepoch.12');
    const reset = await stale.recorder.until((e) => e.type === 'reset');
    stale.unsubscribe();
    expect(reset).toMatchObject({ type: 'reset', reason: expect.stringContaining('reload') });
  });
});
