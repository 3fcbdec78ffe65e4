/**
 * A chat's model, chosen among the catalogue's, through the typed client: two OpenAI-wire fixtures
 * as two catalogue models, each turn answered by the chat's model at the time, the history kept
 * across a switch, only models the person may use offered and accepted, and each answer's token
 * usage summed for admins by person, model and day.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { type OpenAIFixture, type RecordedRequest, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { type Admin, codes, postGraphQL, signInAdmin } from '../admin/support.ts';
import { INTERNAL } from '../faults/support.ts';
import { eventually } from '../support/eventually.ts';
import { Recorder, signIn, type Person } from '../support/people.ts';
import { refusal } from '../support/refusal.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { chatTurns } from '../support/title-requests.ts';

let first: OpenAIFixture;
let second: OpenAIFixture;
let server: TestServer;
let ada: Admin;
let uma: Person;
let ulf: Person;
const ids = { first: '', second: '', adminsOnly: '' };

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const answer = await postGraphQL(server.url, query, { headers: { cookie: ada.cookie }, variables });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data as Record<string, unknown>;
}

async function addModel(input: Record<string, unknown>): Promise<string> {
  const data = await graphql('mutation($input: ModelInput!) { createModel(input: $input) { id } }', { input });
  return (data.createModel as { id: string }).id;
}

/** What the request showed the model of the conversation, system text left out. */
const conversation = (request: RecordedRequest) =>
  request.body.messages.filter((m) => m.role !== 'system').map((m) => `${m.role}: ${String(m.content)}`);

async function sendAndWait(person: Person, chatId: string, text: string): Promise<void> {
  await person.client.api.chats.send.mutate({ chatId, text });
  await eventually(async () => {
    const { history } = await person.client.api.chats.get.query({ chatId });
    return history.messages.at(-1)?.role === 'assistant' && history.runState.status === 'idle';
  }, `the answer to "${text}"`);
}

beforeAll(async () => {
  first = startOpenAIFixture();
  second = startOpenAIFixture();
  first.fallback({ kind: 'text', text: 'First answers.', usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } });
  second.fallback({ kind: 'text', text: 'Second answers.', usage: { prompt_tokens: 23, completion_tokens: 5, total_tokens: 28 } });
  server = await startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: first.baseURL, LLM_MODEL: 'first-model' });
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
  ulf = await signIn(server.url, 'ulf@countersign.dev');
  ids.first = ((await graphql('{ models { id } }')).models as { id: string }[])[0]!.id;
  ids.second = await addModel({ name: 'Second', provider: 'OPENAI', baseUrl: second.baseURL, modelId: 'second-model' });
  ids.adminsOnly = await addModel({ name: 'Admins only', provider: 'DEMO', allowedRoles: ['ADMIN'] });
});
afterAll(async () => {
  await uma.client.close();
  await ulf.client.close();
  await server[Symbol.asyncDispose]();
  await first.stop();
  await second.stop();
});

test('people are offered the enabled models their role may use, the default first, without addresses or keys', async () => {
  const offered = await uma.client.api.models.list.query();
  expect(offered).toEqual([
    {
      id: ids.first,
      name: 'first-model',
      isDefault: true,
      acceptsImages: false,
      supportsToolCalls: true,
      contextWindow: null,
      offlineDemo: false,
    },
    {
      id: ids.second,
      name: 'Second',
      isDefault: false,
      acceptsImages: false,
      supportsToolCalls: true,
      contextWindow: null,
      offlineDemo: false,
    },
  ]);
  expect((await ada.client.api.models.list.query()).map((m) => m.name)).toEqual(['first-model', 'Admins only', 'Second']);
});

test('the session names the catalogue’s default as the model, not the LLM_* settings’', async () => {
  expect((await uma.client.api.session.initialize.mutate()).model).toEqual({ id: ids.first, label: 'first-model', offlineDemo: false });
  await graphql('mutation($id: ID!) { updateModel(id: $id, input: { isDefault: true }) { id } }', { id: ids.second });
  expect((await uma.client.api.session.initialize.mutate()).model).toEqual({ id: ids.second, label: 'Second', offlineDemo: false });
  await graphql('mutation($id: ID!) { updateModel(id: $id, input: { isDefault: true }) { id } }', { id: ids.first });
});

describe('a chat switched between two models', () => {
  test('each turn goes to the chat’s model at the time, and the second model sees the whole history', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    await sendAndWait(uma, chat.id, 'Hello first');
    expect(chatTurns(first).map(conversation)).toEqual([['user: Hello first']]);
    expect(chatTurns(second)).toEqual([]);

    expect(await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: ids.second })).toMatchObject({
      id: chat.id,
      modelId: ids.second,
    });
    await sendAndWait(uma, chat.id, 'Hello second');
    expect(chatTurns(first)).toHaveLength(1);
    expect(chatTurns(second).map(conversation)).toEqual([['user: Hello first', 'assistant: First answers.', 'user: Hello second']]);
    expect(chatTurns(second)[0]!.body.model).toBe('second-model');
    // Each answer names the catalogue model that wrote it, as it was named then, and the endpoint's model.
    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { name: "Second, renamed" }) { id } }', { id: ids.second });
    const afterSwitch = (await uma.client.api.chats.get.query({ chatId: chat.id })).history;
    expect(afterSwitch.messages.flatMap((m) => (m.role === 'assistant' ? [[m.text, m.modelId, m.modelName, m.model]] : []))).toEqual([
      ['First answers.', ids.first, 'first-model', 'first-model'],
      ['Second answers.', ids.second, 'Second', 'second-model'],
    ]);
    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { name: "Second" }) { id } }', { id: ids.second });

    // Back to the catalogue's default.
    await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: null });
    await sendAndWait(uma, chat.id, 'Hello again');
    expect(chatTurns(first).map((r) => conversation(r).at(-1))).toEqual(['user: Hello first', 'user: Hello again']);
    const { history } = await uma.client.api.chats.get.query({ chatId: chat.id });
    expect(history.messages.map((m) => m.text)).toEqual([
      'Hello first',
      'First answers.',
      'Hello second',
      'Second answers.',
      'Hello again',
      'First answers.',
    ]);
  });

  test('a new default answers the chats that chose none', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { isDefault: true }) { id } }', { id: ids.second });
    const before = chatTurns(second).length;
    await sendAndWait(uma, chat.id, 'Who answers by default?');
    expect(
      chatTurns(second)
        .slice(before)
        .map((r) => conversation(r).at(-1)),
    ).toEqual(['user: Who answers by default?']);
    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { isDefault: true }) { id } }', { id: ids.first });
  });

  test('a chosen model an admin then disables gives way to the default', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: ids.second });
    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { enabled: false }) { id } }', { id: ids.second });
    const before = chatTurns(first).length;
    await sendAndWait(uma, chat.id, 'Still answered?');
    expect(
      chatTurns(first)
        .slice(before)
        .map((r) => conversation(r).at(-1)),
    ).toEqual(['user: Still answered?']);
    expect((await uma.client.api.models.list.query()).map((m) => m.name)).toEqual(['first-model']);
    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { enabled: true }) { id } }', { id: ids.second });
  });
});

test('a model without tool calls is offered no tools; the same chat on a model with them is', async () => {
  await uma.client.api.session.initialize.mutate();
  await uma.client.api.servers.connect.mutate({ serverId: INTERNAL });
  const chat = await uma.client.api.chats.create.mutate({ enabledServers: [INTERNAL] });
  await graphql('mutation($id: ID!) { updateModel(id: $id, input: { supportsToolCalls: false }) { id } }', { id: ids.second });
  await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: ids.second });
  await sendAndWait(uma, chat.id, 'Any tools for me?');
  expect(chatTurns(second).at(-1)!.body.tools).toBeUndefined();
  await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: ids.first });
  await sendAndWait(uma, chat.id, 'And for you?');
  expect(chatTurns(first).at(-1)!.body.tools?.length).toBeGreaterThan(0);
  await graphql('mutation($id: ID!) { updateModel(id: $id, input: { supportsToolCalls: true }) { id } }', { id: ids.second });
});

describe('a new chat starts on the person’s last choice', () => {
  test('the model of their most recently used chat while they may use it, else the catalogue’s default', async () => {
    const earlier = await uma.client.api.chats.create.mutate({});
    await uma.client.api.chats.setModel.mutate({ chatId: earlier.id, modelId: ids.second });
    expect(await uma.client.api.models.startingModel.query()).toBe(ids.second);
    expect((await uma.client.api.chats.create.mutate({})).modelId).toBe(ids.second);
    // Someone else's choice is not hers to start on.
    const ulfs = await ulf.client.api.chats.create.mutate({});
    await ulf.client.api.chats.setModel.mutate({ chatId: ulfs.id, modelId: ids.first });
    expect(await uma.client.api.models.startingModel.query()).toBe(ids.second);
    // A chat she deleted is not one she uses: her latest remaining chat decides.
    const deleted = await uma.client.api.chats.create.mutate({});
    await uma.client.api.chats.setModel.mutate({ chatId: deleted.id, modelId: ids.first });
    await uma.client.api.chats.delete.mutate({ chatId: deleted.id });
    expect(await uma.client.api.models.startingModel.query()).toBe(ids.second);

    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { enabled: false }) { id } }', { id: ids.second });
    expect(await uma.client.api.models.startingModel.query()).toBeNull();
    expect((await uma.client.api.chats.create.mutate({})).modelId).toBeNull();
    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { enabled: true }) { id } }', { id: ids.second });
  });
});

describe('choosing is refused', () => {
  test('for another person’s chat, which is not found', async () => {
    const theirs = await ulf.client.api.chats.create.mutate({});
    expect(await refusal(uma.client.api.chats.setModel.mutate({ chatId: theirs.id, modelId: ids.second }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    const before = chatTurns(second).length;
    await sendAndWait(ulf, theirs.id, 'Mine, on the default');
    expect(chatTurns(second)).toHaveLength(before);
  });

  test('for a model the person may not use, or that does not exist, as not found', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    for (const modelId of [ids.adminsOnly, 'no-such-model']) {
      expect(await refusal(uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId }))).toEqual({
        code: 'NOT_FOUND',
        message: 'There is no such model for you to choose.',
      });
    }
  });

  test('for input that is not a chat id and a model id', async () => {
    const chat = await uma.client.api.chats.create.mutate({});
    expect(await refusal(uma.client.api.chats.setModel.mutate({ chatId: 'not-a-chat', modelId: ids.second }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await refusal(uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: '' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('usage', () => {
  test('admins read each person’s tokens by model and day, summed from what the endpoints reported', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const data = await graphql(
      'query($from: DateTime!, $to: DateTime!) { usage(from: $from, to: $to) { day user { email } modelId modelName answers inputTokens outputTokens } }',
      { from: `${today}T00:00:00Z`, to: new Date().toISOString() },
    );
    const answersOf = (fixture: OpenAIFixture) => chatTurns(fixture).length;
    const umaFirst = answersOf(first) - 1; // Ulf's one answer came from the first model too
    expect(data.usage).toEqual([
      {
        day: today,
        user: { email: 'ulf@countersign.dev' },
        modelId: ids.first,
        modelName: 'first-model',
        answers: 1,
        inputTokens: 11,
        outputTokens: 7,
      },
      {
        day: today,
        user: { email: 'uma@countersign.dev' },
        modelId: ids.second,
        modelName: 'Second',
        answers: answersOf(second),
        inputTokens: 23 * answersOf(second),
        outputTokens: 5 * answersOf(second),
      },
      {
        day: today,
        user: { email: 'uma@countersign.dev' },
        modelId: ids.first,
        modelName: 'first-model',
        answers: umaFirst,
        inputTokens: 11 * umaFirst,
        outputTokens: 7 * umaFirst,
      },
    ]);
  });

  test('a range of days is checked', async () => {
    const ask = (from: string, to: string) =>
      postGraphQL(server.url, 'query($from: DateTime!, $to: DateTime!) { usage(from: $from, to: $to) { day } }', {
        headers: { cookie: ada.cookie },
        variables: { from, to },
      });
    expect(await graphql('{ usage(from: "2020-01-01T00:00:00Z", to: "2020-01-31T23:59:59Z") { day } }')).toEqual({ usage: [] });
    for (const [from, to, words] of [
      ['2026-03-01', '2026-03-02T00:00:00Z', 'DateTime: expected an ISO 8601 instant such as 2026-01-31T12:00:00Z'],
      ['2026-03-02T00:00:00Z', '2026-03-01T23:59:59Z', 'to: must not be before from'],
      ['2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'to: must be within 366 days of from'],
    ]) {
      const answer = await ask(from!, to!);
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.body.errors![0]!.message).toContain(words!);
    }
  });
});

// After the usage totals: a stopped answer's request reports no usage.
test('an answer the person stopped still names the model that was writing it', async () => {
  const chat = await uma.client.api.chats.create.mutate({});
  await uma.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: ids.second });
  const { cursor } = await uma.client.api.chats.get.query({ chatId: chat.id });
  const recorder = new Recorder<ChatStreamEvent>();
  const sub = uma.client.api.chats.events.subscribe({ chatId: chat.id, lastEventId: cursor }, { onData: recorder.push });
  // A piece every 200 ms: a minute of answer, stopped after its first piece.
  const words = Array.from({ length: 300 }, (_, i) => `word${i} `);
  second.script({ kind: 'text', text: words.join(''), tokens: words, delayMs: 200 });
  await uma.client.api.chats.send.mutate({ chatId: chat.id, text: 'Start, then stop' });
  await recorder.until((event) => event.type === 'token');
  await uma.client.api.chats.stop.mutate({ chatId: chat.id });
  await recorder.until((event) => event.type === 'run_state' && event.state.status === 'idle');
  sub.unsubscribe();
  const answer = (await uma.client.api.chats.get.query({ chatId: chat.id })).history.messages.at(-1);
  expect(answer).toMatchObject({ role: 'assistant', stopped: true, modelId: ids.second, modelName: 'Second' });
  expect(answer?.text).toStartWith('word0 ');
});
