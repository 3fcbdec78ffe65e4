/**
 * A person's two handlers (MCP connections, compiled graph) live and die together: closed after
 * the idle time unless a run is going, closed at sign-out and when an admin disables the person,
 * and rebuilt on the next use with nothing lost (tools, pending approvals).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { SetUserDisabled } from '../../admin/src/api/operations.ts';
import { signInAdmin } from '../admin/support.ts';
import { finalState, follow, INTERNAL, newChat } from '../faults/support.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const people = ['ida', 'ben', 'cleo', 'dov', 'eve', 'sol', 'dis'].map((name) => ({ name, email: `${name}@countersign.dev`, role: 'user' }));
const env = (model: OpenAIFixture) => ({
  LLM_PROVIDER: 'openai',
  LLM_BASE_URL: model.baseURL,
  LLM_MODEL: 'fixture-model',
  DEV_ACCOUNTS: JSON.stringify([{ name: 'Ada Admin', email: 'ada@countersign.dev', role: 'admin' }, ...people]),
});

// Whole servers on a loaded 2-core machine: bun's 5 s default is too tight (bunfig's timeout is not applied).
setDefaultTimeout(30_000);

let model: OpenAIFixture;
/** Handlers idle for a second are closed: the idle rule, seen in seconds instead of minutes. */
let brief: TestServer;
/** The default idle time: whatever closes handlers here, it is not the idle rule. */
let lasting: TestServer;
const signedIn: Person[] = [];

beforeAll(async () => {
  model = startOpenAIFixture();
  brief = await startTestServer(env(model), { handlerIdleMs: 1_000 });
  lasting = await startTestServer(env(model));
});
afterAll(async () => {
  await Promise.all(signedIn.map((p) => p.client.close()));
  await brief[Symbol.asyncDispose]();
  await lasting[Symbol.asyncDispose]();
  await model.stop();
});

async function person(server: TestServer, name: string): Promise<Person & { id: string }> {
  const signed = await signIn(server.url, `${name}@countersign.dev`);
  signedIn.push(signed);
  return { ...signed, id: (await signed.client.api.auth.me.query()).id };
}

/** Which of the person's handlers are open. */
const handlersOf = (server: TestServer, userId: string) => ({
  mcp: server.mcpHandlers.peek(userId) !== undefined,
  llm: server.llmHandlers.peek(userId) !== undefined,
});
const closed = (server: TestServer, userId: string) => () => {
  const { mcp, llm } = handlersOf(server, userId);
  return !mcp && !llm;
};
const mcpClosed = (server: TestServer, userId: string) => () => !handlersOf(server, userId).mcp;

/** Signed in, handlers built, the internal MCP server connected. */
async function connected(server: TestServer, name: string) {
  const p = await person(server, name);
  await p.client.api.session.initialize.mutate();
  await p.client.api.servers.connect.mutate({ serverId: INTERNAL });
  return p;
}

describe('idle handlers', () => {
  test('after the idle time both handlers are closed together, and the next use rebuilds them with the person’s tools', async () => {
    const ida = await connected(brief, 'ida');
    await eventually(mcpClosed(brief, ida.id), 'the idle MCP handler to be closed');
    expect(handlersOf(brief, ida.id)).toEqual({ mcp: false, llm: false });

    expect((await ida.client.api.session.initialize.mutate()).connectedServers).toEqual([INTERNAL]);
    const chat = await newChat(ida, [INTERNAL]);
    const { recorder, unsubscribe } = await follow(ida, chat.id);
    model.script(
      { kind: 'tool_calls', calls: [{ name: 'countersign__calculate', arguments: { expression: '2+3*4' } }] },
      { kind: 'text', text: 'It is 14.' },
    );
    await ida.client.api.chats.send.mutate({ chatId: chat.id, text: 'What is 2+3*4?' });
    expect(await finalState(recorder)).toEqual({ status: 'idle' });
    unsubscribe();
    const finished = recorder.events.flatMap(({ data }) => (data.type === 'tool_finished' ? [data.card] : []));
    expect(finished).toEqual([expect.objectContaining({ status: 'succeeded' })]);
  });

  test('a run going keeps both handlers, however long it takes; they are closed once it ends', async () => {
    const ben = await connected(brief, 'ben');
    const chat = await newChat(ben, [INTERNAL]);
    const { recorder, unsubscribe } = await follow(ben, chat.id);
    // The model stays silent until Ben presses Stop: his run is going, his MCP handler has nothing to do.
    model.script({ kind: 'delay', ms: 120_000, next: { kind: 'text', text: 'Too late.' } });
    await ben.client.api.chats.send.mutate({ chatId: chat.id, text: 'Take your time.' });
    await eventually(
      () => model.requests.some((r) => JSON.stringify(r.body.messages).includes('Take your time.')),
      'the model to be asked',
    );

    // Cleo's handlers, used after Ben's, being closed means the idle time has passed for Ben's too.
    const cleo = await connected(brief, 'cleo');
    await eventually(mcpClosed(brief, cleo.id), 'the idle handlers of someone else to be closed');
    expect(handlersOf(brief, ben.id)).toEqual({ mcp: true, llm: true });

    await ben.client.api.chats.stop.mutate({ chatId: chat.id });
    expect(await finalState(recorder)).toEqual({ status: 'idle' });
    unsubscribe();
    await eventually(closed(brief, ben.id), 'both handlers to be closed once the run ended');
  });

  test('an approval pending when the handlers were closed is still pending, and approving it runs the tool', async () => {
    const dov = await connected(brief, 'dov');
    const chat = await newChat(dov, [INTERNAL]);
    const { recorder, unsubscribe } = await follow(dov, chat.id);
    model.script(
      { kind: 'tool_calls', calls: [{ name: 'countersign__notes_create', arguments: { title: 'Kept', body: 'across eviction' } }] },
      { kind: 'text', text: 'Saved.' },
    );
    await dov.client.api.chats.send.mutate({ chatId: chat.id, text: 'Save a note.' });
    const asked = await recorder.until((e) => e.type === 'approval_requested');
    if (asked.type !== 'approval_requested') throw new Error('unreachable');
    await eventually(closed(brief, dov.id), 'the handlers to be closed while the approval waits');

    const { history } = await dov.client.api.chats.get.query({ chatId: chat.id });
    expect(history.pendingApproval?.interruptId).toBe(asked.approval.interruptId);
    await dov.client.api.chats.decide.mutate({
      chatId: chat.id,
      interruptId: asked.approval.interruptId,
      decisions: [{ toolCallId: asked.approval.items[0]!.toolCallId, action: 'approve' }],
    });
    expect(await finalState(recorder)).toEqual({ status: 'idle' });
    unsubscribe();
    expect(recorder.types()).toContain('tool_finished');
    const saved = brief.db.sqlite.query<{ n: number }, [string]>('SELECT count(*) AS n FROM notes WHERE title = ?').get('Kept');
    expect(saved?.n).toBe(1);
  });

  test('a message sent while the handlers are being rebuilt is answered with the person’s tools', async () => {
    const eve = await person(brief, 'eve');
    await eve.client.api.servers.connect.mutate({ serverId: INTERNAL });
    const chat = await newChat(eve, [INTERNAL]);
    await eventually(closed(brief, eve.id), 'the handlers to be closed');
    model.script({ kind: 'text', text: 'Hello.' });

    // One batch: the rebuild starts with the first call, the send arrives while it is under way.
    await Promise.all([
      eve.client.api.session.initialize.mutate(),
      eve.client.api.chats.send.mutate({ chatId: chat.id, text: 'Which tools do you have?' }),
    ]);
    const asked = await eventually(
      () => model.requests.find((r) => JSON.stringify(r.body.messages).includes('Which tools do you have?')),
      'the model to be asked',
    );
    expect(asked.body.tools?.map((t) => t.function.name)).toContain('countersign__calculate');
  });
});

describe('sign-out and disabling', () => {
  test('signing out closes the person’s handlers', async () => {
    const sol = await connected(lasting, 'sol');
    expect(await sol.client.api.auth.logout.mutate()).toEqual({ signedOut: true });
    await eventually(closed(lasting, sol.id), 'the handlers to be closed at sign-out');
  });

  test('an admin disabling a person closes both their handlers', async () => {
    const dis = await connected(lasting, 'dis');
    const ada = await signInAdmin(lasting.url);
    signedIn.push(ada);
    await ada.admin(SetUserDisabled, { id: dis.id, disabled: true });
    await eventually(closed(lasting, dis.id), 'the handlers to be closed when disabled');
  });
});
