/**
 * A chat whose tool call meets a revoked authorisation: the call waits for the person instead of
 * failing, the chat shows which server wants them to sign in, and coming back from that sign-in
 * (to the same chat) runs the call with their new token. Real Countersign server, the scripted
 * OpenAI fixture as the model, the SDK-protected MCP server behind oidc-provider.
 */
import { afterAll, expect, test } from 'bun:test';
import { chatPath } from '../../shared/chats.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { HttpBrowser } from '../support/http-browser.ts';
import { startAuthorizationServer } from '../support/oauth-authorization-server.ts';
import { signIn } from '../support/people.ts';
import { startProtectedMcpServer } from '../support/protected-mcp-server.ts';
import { startTestServer } from '../support/test-server.ts';

const fixture: OpenAIFixture = startOpenAIFixture();
const authorizationServer = await startAuthorizationServer();
const tracker = await startProtectedMcpServer({ authorizationServer });
const server = await startTestServer({
  LLM_PROVIDER: 'openai',
  LLM_BASE_URL: fixture.baseURL,
  LLM_API_KEY: 'sk-test',
  LLM_MODEL: 'gpt-4.1-mini',
});
afterAll(async () => {
  await server[Symbol.asyncDispose]();
  await tracker.stop();
  await authorizationServer.stop();
  await fixture.stop();
});

test('a call that meets a revoked authorisation waits, and runs with the new token once the person signs in again from the chat', async () => {
  const { id: trackerId } = await server.catalogue.create({
    name: 'Tracker',
    transport: 'streamable-http',
    url: tracker.url,
    authMode: 'oauth',
    // Its whoami says nothing of being read-only, so only the admin's word lets it run unasked.
    toolPolicies: { whoami: 'auto' },
  });
  const uma = await signIn(server.url, 'uma@countersign.dev');
  const api = uma.client.api;
  const browser = new HttpBrowser();
  for (const part of uma.cookie.split('; ')) {
    const [name, value] = part.split('=');
    browser.cookies.set(name!, value!);
  }
  /** "Sign in to Tracker" from the chat, the account picked at the authorisation server, and back. */
  const signInToTracker = async (returnTo: string) => {
    const start = await browser.fetch(`${server.url}/mcp-oauth/start?server=${trackerId}&returnTo=${encodeURIComponent(returnTo)}`);
    const callback = await authorizationServer.authorize(start.headers.get('location')!, 'uma@example.test');
    const back = await browser.fetch(callback);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(returnTo);
  };

  await api.session.initialize.mutate();
  expect((await api.servers.connect.mutate({ serverId: trackerId })).connection).toBe('needs_sign_in');
  // Titled, so no title request takes one of the model's scripted replies.
  const chat = await api.chats.create.mutate({ title: 'Who am I', enabledServers: [trackerId] });
  await signInToTracker(chatPath(chat.id));
  expect((await api.servers.list.query()).find((s) => s.id === trackerId)).toMatchObject({ connection: 'connected' });

  // A first turn runs the call with her token.
  fixture.script({ kind: 'tool_calls', calls: [{ name: 'tracker__whoami', arguments: {} }] }, { kind: 'text', text: 'You are Uma.' });
  await api.chats.send.mutate({ chatId: chat.id, text: 'who am I?' });
  await eventually(async () => (await api.chats.get.query({ chatId: chat.id })).history.runState.status === 'idle', 'the first turn');

  // Her grant is revoked at the authorisation server: the next call cannot run, and waits for her.
  await authorizationServer.revokeGrantsOf('uma@example.test');
  fixture.script({ kind: 'tool_calls', calls: [{ name: 'tracker__whoami', arguments: {} }] }, { kind: 'text', text: 'Still Uma.' });
  await api.chats.send.mutate({ chatId: chat.id, text: 'and now?' });
  const waiting = await eventually(async () => {
    const { history } = await api.chats.get.query({ chatId: chat.id });
    return history.pendingApproval?.signIn ? history : undefined;
  }, 'the call to wait for a sign-in');
  expect(waiting.pendingApproval!.signIn).toEqual([{ serverId: trackerId, serverName: 'Tracker' }]);
  const card = () => waiting.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : [])).at(-1)!;
  expect(card()).toMatchObject({ status: 'awaiting_sign_in', tool: { serverName: 'Tracker' } });
  expect((await api.servers.list.query()).find((s) => s.id === trackerId)).toMatchObject({ connection: 'needs_sign_in' });

  // She signs in again from the chat; coming back runs the waiting call, with her new token.
  const seenBefore = tracker.seen.length;
  await signInToTracker(chatPath(chat.id));
  const done = await eventually(async () => {
    const { history } = await api.chats.get.query({ chatId: chat.id });
    return history.runState.status === 'idle' && history.messages.at(-1)?.role === 'assistant' ? history : undefined;
  }, 'the waiting call to run and the answer to follow');
  const calls = done.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []));
  expect(calls.at(-1)).toMatchObject({ status: 'succeeded', result: 'uma@example.test with scopes mcp:tools' });
  expect(done.messages.at(-1)).toMatchObject({ role: 'assistant', text: 'Still Uma.' });
  const after = tracker.seen.slice(seenBefore);
  expect(after.length).toBeGreaterThan(0);
  expect(after.every((seen) => seen.subject === 'uma@example.test')).toBe(true);
  expect(tracker.seen.slice(0, seenBefore).map((s) => s.accessToken)).not.toContain(after.at(-1)!.accessToken);
  await uma.client.close();
}, 60_000);
