/** A person may tighten a tool's policy for themselves, never loosen it, and it applies on the next turn. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { Recorder, signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { INTERNAL } from '../faults/support.ts';

let server: TestServer;
let uma: Person;
let ulf: Person;

beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
  ulf = await signIn(server.url, 'ulf@countersign.dev');
  for (const p of [uma, ulf]) await p.client.api.servers.connect.mutate({ serverId: INTERNAL });
});
afterAll(async () => {
  await uma.client.close();
  await ulf.client.close();
  await server[Symbol.asyncDispose]();
});

async function firstOutcome(person: Person, text: string) {
  const api = person.client.api;
  const chat = await api.chats.create.mutate({});
  const { cursor } = await api.chats.get.query({ chatId: chat.id });
  const recorder = new Recorder<ChatStreamEvent>();
  const sub = api.chats.events.subscribe({ chatId: chat.id, lastEventId: cursor }, { onData: recorder.push });
  await api.chats.send.mutate({ chatId: chat.id, text });
  const outcome = await recorder.until((e) => e.type === 'approval_requested' || (e.type === 'run_state' && e.state.status !== 'running'));
  sub.unsubscribe();
  return { outcome, recorder };
}

describe('personal tool preferences', () => {
  test('“ask” on a tool the admin lets run automatically makes only that person’s agent ask', async () => {
    const tools = (await uma.client.api.servers.list.query()).find((s) => s.id === INTERNAL)!.tools;
    expect(tools.find((t) => t.name === 'calculate')).toMatchObject({ policy: 'auto', myPolicy: null });

    await uma.client.api.servers.setToolPreference.mutate({ serverId: INTERNAL, toolName: 'calculate', policy: 'ask' });
    const after = (await uma.client.api.servers.list.query()).find((s) => s.id === INTERNAL)!.tools;
    expect(after.find((t) => t.name === 'calculate')?.myPolicy).toBe('ask');

    expect((await firstOutcome(uma, 'calculate 2+3*4')).outcome.type).toBe('approval_requested');
    const ulfs = await firstOutcome(ulf, 'calculate 2+3*4');
    expect(ulfs.outcome).toMatchObject({ type: 'run_state', state: { status: 'idle' } });
    expect(ulfs.recorder.types()).toContain('tool_finished');
  });

  test('“deny” hides the tool from that person’s model; clearing it restores the admin’s policy', async () => {
    await uma.client.api.servers.setToolPreference.mutate({ serverId: INTERNAL, toolName: 'calculate', policy: 'deny' });
    const denied = await firstOutcome(uma, 'calculate 6*7');
    expect(denied.outcome).toMatchObject({ type: 'run_state', state: { status: 'idle' } });
    expect(denied.recorder.types()).not.toContain('tool_started');

    await uma.client.api.servers.setToolPreference.mutate({ serverId: INTERNAL, toolName: 'calculate', policy: null });
    const restored = await firstOutcome(uma, 'calculate 6*7');
    expect(restored.recorder.types()).toContain('tool_finished');
  });

  test('a person cannot loosen a policy: “auto” is not a choice', async () => {
    const attempt = uma.client.api.servers.setToolPreference.mutate({
      serverId: INTERNAL,
      toolName: 'notes_delete',
      policy: 'auto' as never,
    });
    await expect(attempt).rejects.toThrow(/ask|deny/);
  });
});
