/**
 * Catalogue and user changes made through the admin API reach people at once: seen through
 * their own typed client, and in what the model is offered on the next turn (an OpenAI-compatible
 * fixture records every request the agent makes).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SetServerEnabled, SetToolPolicy, SetUserDisabled, UsersQuery } from '../../admin/src/api/operations.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { isTitleRequest } from '../support/title-requests.ts';
import { closed, openSocket, wsUrl } from '../support/ws.ts';
import { type Admin, signInAdmin } from './support.ts';
import { INTERNAL } from '../faults/support.ts';

let fixture: OpenAIFixture;
let server: TestServer;
let ada: Admin;
let uma: Person;
let chatId: string;

beforeAll(async () => {
  fixture = startOpenAIFixture();
  server = await startTestServer({
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: fixture.baseURL,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'gpt-4.1-mini',
  });
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
  await uma.client.api.session.initialize.mutate();
  await uma.client.api.servers.connect.mutate({ serverId: INTERNAL });
  chatId = (await uma.client.api.chats.create.mutate({ enabledServers: [INTERNAL] })).id;
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
  await fixture.stop();
});

/** Sends `text` as Uma, waits for the turn to end, and returns the tool names the model was offered for it. */
async function offeredFor(text: string): Promise<string[]> {
  await uma.client.api.chats.send.mutate({ chatId, text });
  await eventually(async () => {
    const { history } = await uma.client.api.chats.get.query({ chatId });
    return history.messages.at(-1)?.role === 'assistant' && history.runState.status === 'idle';
  }, 'the turn to end');
  const request = fixture.requests.find((r) => {
    const last = r.body.messages.at(-1);
    return !isTitleRequest(r.body) && last?.role === 'user' && String(last.content).includes(text);
  });
  if (!request) throw new Error(`the model was not asked about "${text}"`);
  return (request.body.tools ?? []).map((t) => t.function.name).sort();
}

async function umasInternalServer() {
  return (await uma.client.api.servers.list.query()).find((s) => s.id === INTERNAL);
}

describe('live effects of admin changes', () => {
  test('a tool set to deny shows as deny to the user and is not offered to the model from the next turn', async () => {
    expect(await offeredFor('first turn, before the change')).toContain('countersign__notes_delete');

    const { setToolPolicy } = await ada.admin(SetToolPolicy, { serverId: INTERNAL, tool: 'notes_delete', policy: 'DENY' });
    expect(setToolPolicy.toolPolicies).toEqual([{ tool: 'notes_delete', policy: 'DENY' }]);

    const tools = (await umasInternalServer())!.tools;
    expect(tools.find((t) => t.name === 'notes_delete')?.policy).toBe('deny');
    const offered = await offeredFor('second turn, after the deny');
    expect(offered).not.toContain('countersign__notes_delete');
    expect(offered).toContain('countersign__notes_create');

    await ada.admin(SetToolPolicy, { serverId: INTERNAL, tool: 'notes_delete', policy: null });
    expect(await offeredFor('third turn, policy back to the default')).toContain('countersign__notes_delete');
  });

  test('disabling a server disconnects it for its users and recompiles their graphs without its tools', async () => {
    const umaId = (await ada.admin(UsersQuery, { search: 'uma' })).users.items[0]!.id;
    expect((await umasInternalServer())?.connection).toBe('connected');
    expect(server.llmHandlers.peek(umaId)!.tools.some((t) => t.serverId === INTERNAL)).toBe(true);

    await ada.admin(SetServerEnabled, { id: INTERNAL, enabled: false });

    expect(await umasInternalServer()).toBeUndefined();
    expect(server.mcpHandlers.forUser(umaId).hasServer(INTERNAL)).toBe(false);
    await eventually(() => !server.llmHandlers.peek(umaId)!.tools.some((t) => t.serverId === INTERNAL), "Uma's graph to lose the tools");
    expect(await offeredFor('a turn while the server is disabled')).toEqual([]);

    await ada.admin(SetServerEnabled, { id: INTERNAL, enabled: true });
    expect((await umasInternalServer())?.tools.length).toBeGreaterThan(0);
    await eventually(() => server.llmHandlers.peek(umaId)!.tools.some((t) => t.serverId === INTERNAL), 'the tools to come back');
    expect(await offeredFor('a turn after enabling it again')).toContain('countersign__notes_create');
  });

  test('disabling a user ends their sessions and closes their sockets; they cannot sign in again until enabled', async () => {
    const ulf = await signIn(server.url, 'ulf@countersign.dev');
    const socket = await openSocket(wsUrl(server.url), { cookie: ulf.cookie, origin: server.url });
    expect(socket.opened).toBe(true);
    const closing = closed(socket.socket);
    const ulfRow = (await ada.admin(UsersQuery, { search: 'ulf' })).users.items[0]!;
    expect(ulfRow.sessions.length).toBe(1);

    const { setUserDisabled } = await ada.admin(SetUserDisabled, { id: ulfRow.id, disabled: true });
    expect(setUserDisabled).toMatchObject({ disabled: true, sessions: [] });
    expect(await closing).toBe(4401);
    await expect(ulf.client.api.auth.me.query()).rejects.toThrow();
    const refused = await signInWithDevProvider(new HttpBrowser(), server.url, 'ulf@countersign.dev');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Your account is disabled');

    await ada.admin(SetUserDisabled, { id: ulfRow.id, disabled: false });
    const again = await signIn(server.url, 'ulf@countersign.dev');
    expect((await again.client.api.auth.me.query()).email).toBe('ulf@countersign.dev');
    await Promise.all([ulf.client.close(), again.client.close()]);
  });
});
