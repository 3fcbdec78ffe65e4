/**
 * The composer's side of the API: `servers.prompts`, `getPrompt`, `resources` and `complete` over
 * the built-in server and server-everything, each through the person's own connection and only
 * for their own chats; `chats.send` with attachments, read through that connection and given to
 * the (scripted) model with the message, or refusing the whole send when one cannot be read; and
 * a server's list change reaching the chat's followers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { fileURLToPath } from 'node:url';
import { TRPCClientError } from '@trpc/client';
import { NotesStore } from '../../server/mcp-server/notes-store.ts';
import { EVERYTHING_SERVER_ID, INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { follow } from '../faults/support.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { refusal } from '../support/refusal.ts';

let server: TestServer;
let model: OpenAIFixture;
let uma: Person;
let ulf: Person;
let umaId: string;
/** Uma's chat with the built-in server and server-everything. */
let chatId: string;
let budgetUri: string;

beforeAll(async () => {
  model = startOpenAIFixture();
  server = await startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_MODEL: 'fixture-model' });
  [uma, ulf] = await Promise.all([signIn(server.url, 'uma@countersign.dev'), signIn(server.url, 'ulf@countersign.dev')]);
  umaId = (await uma.client.api.auth.me.query()).id;
  await uma.client.api.servers.connect.mutate({ serverId: INTERNAL_SERVER_ID });
  await uma.client.api.servers.connect.mutate({ serverId: EVERYTHING_SERVER_ID });
  chatId = (await uma.client.api.chats.create.mutate({})).id;
  const note = await new NotesStore(server.db).create(umaId, 'Budget', 'rent first, then the garden');
  budgetUri = `countersign://notes/${note.id}`;
}, 30_000);
afterAll(async () => {
  await Promise.all([uma.client.close(), ulf.client.close()]);
  await server[Symbol.asyncDispose]();
  await model.stop();
});

describe('prompts', () => {
  test('a chat lists the prompts of its servers, each naming its server', async () => {
    const { prompts, leftOut } = await uma.client.api.servers.prompts.query({ chatId });
    expect(leftOut).toEqual([]);
    expect(prompts.map((p) => `${p.serverName}: ${p.name}`)).toEqual([
      'Countersign: summarise_notes',
      'Everything: simple-prompt',
      'Everything: args-prompt',
      'Everything: completable-prompt',
      'Everything: resource-prompt',
    ]);
    expect(prompts[0]).toEqual({
      serverId: INTERNAL_SERVER_ID,
      serverName: 'Countersign',
      name: 'summarise_notes',
      title: 'Summarise my notes',
      description: expect.any(String),
      arguments: [{ name: 'topic', description: expect.any(String), required: false }],
    });
  });

  test('a prompt fills in with the person’s arguments, and an argument completes from what is typed', async () => {
    const api = uma.client.api;
    expect(
      await api.servers.complete.mutate({
        serverId: INTERNAL_SERVER_ID,
        ref: { type: 'prompt', name: 'summarise_notes' },
        argument: { name: 'topic', value: 'bud' },
      }),
    ).toEqual({ values: ['Budget'], hasMore: false });
    expect(
      await api.servers.complete.mutate({
        serverId: EVERYTHING_SERVER_ID,
        ref: { type: 'prompt', name: 'completable-prompt' },
        argument: { name: 'name', value: 'D' },
        context: { department: 'Sales' },
      }),
    ).toEqual({ values: ['David'], hasMore: false });

    const filled = await api.servers.getPrompt.mutate({
      serverId: INTERNAL_SERVER_ID,
      name: 'summarise_notes',
      arguments: { topic: 'Budget' },
    });
    expect(filled).toEqual({
      description: 'A summary of your notes about "Budget"',
      messages: [{ role: 'user', text: expect.stringContaining('rent first, then the garden') }],
      leftOut: [],
    });
    // An embedded text resource is its text; the argument the server refuses is its error.
    const withResource = await api.servers.getPrompt.mutate({
      serverId: EVERYTHING_SERVER_ID,
      name: 'resource-prompt',
      arguments: { resourceType: 'Text', resourceId: '3' },
    });
    expect(withResource.messages[1]).toEqual({ role: 'user', text: expect.stringMatching(/^Resource 3: This is a plaintext resource/) });
    expect(
      await refusal(
        api.servers.getPrompt.mutate({ serverId: EVERYTHING_SERVER_ID, name: 'resource-prompt', arguments: { resourceType: 'Video' } }),
      ),
    ).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/^Everything answered with an error: .*resourceId/) });
  });
});

test('arguments up to their limits go through, however long together', async () => {
  const extras = Array.from({ length: 31 }, (_, i) => [`extra${i}`, 'é'.repeat(4_000)]);
  const args = { topic: 'Budget', ...Object.fromEntries(extras) };
  const filled = await uma.client.api.servers.getPrompt.mutate({ serverId: INTERNAL_SERVER_ID, name: 'summarise_notes', arguments: args });
  expect(filled.messages).toEqual([{ role: 'user', text: expect.stringContaining('rent first, then the garden') }]);
});

describe('resources', () => {
  test('a chat lists the resources and templates of its servers, templates with their variables', async () => {
    const { resources, templates, leftOut } = await uma.client.api.servers.resources.query({ chatId });
    expect(leftOut).toEqual([]);
    expect(resources).toContainEqual({
      serverId: INTERNAL_SERVER_ID,
      serverName: 'Countersign',
      uri: budgetUri,
      name: 'Budget',
      title: 'Budget',
      description: 'One of your notes, as Markdown.',
      mimeType: 'text/markdown',
    });
    expect(templates.map((t) => [t.serverName, t.uriTemplate, t.variables])).toEqual([
      ['Countersign', 'countersign://notes/{id}', ['id']],
      ['Everything', 'demo://resource/dynamic/text/{resourceId}', ['resourceId']],
      ['Everything', 'demo://resource/dynamic/blob/{resourceId}', ['resourceId']],
    ]);
  });

  test('a chat lists only the servers it uses', async () => {
    const notesOnly = await uma.client.api.chats.create.mutate({ enabledServers: [INTERNAL_SERVER_ID] });
    const { prompts } = await uma.client.api.servers.prompts.query({ chatId: notesOnly.id });
    expect(prompts.map((p) => p.name)).toEqual(['summarise_notes']);
  });
});

describe('one person never reaches another’s', () => {
  test('another person’s chat is not found, and a server they have not connected is not asked', async () => {
    const api = ulf.client.api;
    const notFound = { code: 'NOT_FOUND', message: 'No such chat: it was deleted, or it is not yours.' };
    expect(await refusal(api.servers.prompts.query({ chatId }))).toEqual(notFound);
    expect(await refusal(api.servers.resources.query({ chatId }))).toEqual(notFound);
    const notConnected = { code: 'NOT_FOUND', message: 'You have not connected Countersign.' };
    expect(await refusal(api.servers.getPrompt.mutate({ serverId: INTERNAL_SERVER_ID, name: 'summarise_notes' }))).toEqual(notConnected);
    expect(
      await refusal(
        api.servers.complete.mutate({
          serverId: INTERNAL_SERVER_ID,
          ref: { type: 'prompt', name: 'summarise_notes' },
          argument: { name: 'topic', value: 'bud' },
        }),
      ),
    ).toEqual(notConnected);
    const ulfId = (await api.auth.me.query()).id;
    expect(server.mcpHandlers.forUser(ulfId).hasServer(INTERNAL_SERVER_ID)).toBe(false);
  });

  test('through his own connection, her notes neither complete nor fill his prompt', async () => {
    const api = ulf.client.api;
    await api.servers.connect.mutate({ serverId: INTERNAL_SERVER_ID });
    const topic = {
      serverId: INTERNAL_SERVER_ID,
      ref: { type: 'prompt' as const, name: 'summarise_notes' },
      argument: { name: 'topic', value: 'bud' },
    };
    expect(await api.servers.complete.mutate(topic)).toEqual({ values: [], hasMore: false });
    const filled = await api.servers.getPrompt.mutate({
      serverId: INTERNAL_SERVER_ID,
      name: 'summarise_notes',
      arguments: { topic: 'Budget' },
    });
    expect(JSON.stringify(filled)).not.toContain('rent first');
  });
});

describe('bad input is refused with a sentence naming the problem', () => {
  test.each([
    ['an empty prompt name', { serverId: INTERNAL_SERVER_ID, name: '' }, 'name must not be empty.'],
    [
      'a long argument',
      { serverId: INTERNAL_SERVER_ID, name: 'p', arguments: { topic: 'x'.repeat(4_001) } },
      'arguments.topic is longer than 4,000 characters.',
    ],
    [
      'too many arguments',
      { serverId: INTERNAL_SERVER_ID, name: 'p', arguments: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`a${i}`, 'x'])) },
      'At most 32 arguments can be given.',
    ],
  ])('getPrompt with %s', async (_, input, message) => {
    expect(await refusal(uma.client.api.servers.getPrompt.mutate(input))).toEqual({ code: 'BAD_REQUEST', message });
  });

  test('complete with a reference of no known type, and prompts with no chat id', async () => {
    const input = { serverId: INTERNAL_SERVER_ID, ref: { type: 'tool', name: 'x' }, argument: { name: 'a', value: '' } };
    expect(await refusal(uma.client.api.servers.complete.mutate(input as never))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('ref.type'),
    });
    expect(await refusal(uma.client.api.servers.prompts.query({ chatId: 'x' }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'chatId must be a chat id (a UUID).',
    });
  });

  test('a message with more than five attachments', async () => {
    const attachments = Array.from({ length: 6 }, (_, i) => ({ serverId: INTERNAL_SERVER_ID, uri: `countersign://notes/${i}` }));
    expect(await refusal(uma.client.api.chats.send.mutate({ chatId, text: 'six', attachments }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'At most 5 resources can be attached to one message.',
    });
  });
});

test('completions are rate limited per person', async () => {
  const ada = await signIn(server.url, 'ada@countersign.dev');
  const input = {
    serverId: INTERNAL_SERVER_ID,
    ref: { type: 'prompt' as const, name: 'summarise_notes' },
    argument: { name: 'topic', value: '' },
  };
  const outcomes = await Promise.allSettled(Array.from({ length: 60 }, () => ada.client.api.servers.complete.mutate(input)));
  await ada.client.close();
  const codes = outcomes.map((o) => (o.status === 'rejected' && o.reason instanceof TRPCClientError ? o.reason.data?.code : 'other'));
  // Ada has not connected the server: each request she is allowed is refused as NOT_FOUND, the rest as too many.
  expect(new Set(codes)).toEqual(new Set(['NOT_FOUND', 'TOO_MANY_REQUESTS']));
});

describe('attachments', () => {
  test('reach the model after the person’s text, each naming its URI and type; the history shows the text and their names', async () => {
    const attachChat = (await uma.client.api.chats.create.mutate({})).id;
    const { recorder, unsubscribe } = await follow(uma, attachChat);
    model.script({ kind: 'text', text: 'Rent comes first.' });
    const blobUri = 'demo://resource/dynamic/blob/2';
    await uma.client.api.chats.send.mutate({
      chatId: attachChat,
      text: 'What comes first?',
      attachments: [
        { serverId: INTERNAL_SERVER_ID, uri: budgetUri },
        { serverId: EVERYTHING_SERVER_ID, uri: blobUri },
      ],
    });
    await recorder.until((e) => e.type === 'run_state' && e.state.status === 'idle');
    unsubscribe();

    const asked = model.requests.find((r) =>
      r.body.messages.some((m) => m.role === 'user' && String(m.content).startsWith('What comes first?')),
    );
    const said = String(asked?.body.messages.findLast((m) => m.role === 'user')?.content);
    expect(said).toStartWith(
      [
        'What comes first?',
        '',
        `--- Attached resource: ${budgetUri} (text/markdown) ---`,
        '# Budget',
        '',
        'rent first, then the garden',
        `--- End of ${budgetUri} ---`,
        '',
        `--- Attached resource: ${blobUri} (text/plain) ---`,
        'Resource 2: This is a base64 blob',
      ].join('\n'),
    );

    const attachments = [
      { serverId: INTERNAL_SERVER_ID, uri: budgetUri, name: 'Budget' },
      { serverId: EVERYTHING_SERVER_ID, uri: blobUri, name: blobUri },
    ];
    const shown = { role: 'user' as const, text: 'What comes first?', attachments };
    expect(recorder.events.find((e) => e.data.type === 'user_message')?.data).toMatchObject({ message: shown });
    const { history } = await uma.client.api.chats.get.query({ chatId: attachChat });
    expect(history.messages[0]).toEqual({ ...shown, id: expect.any(String) });
  });

  test('one that cannot be read refuses the whole send, and nothing reaches the chat or the model', async () => {
    const refusedChat = (await uma.client.api.chats.create.mutate({})).id;
    const asked = model.requests.length;
    const missing = 'countersign://notes/00000000-0000-4000-8000-000000000000';
    expect(
      await refusal(
        uma.client.api.chats.send.mutate({
          chatId: refusedChat,
          text: 'Look at these',
          attachments: [
            { serverId: INTERNAL_SERVER_ID, uri: budgetUri },
            { serverId: INTERNAL_SERVER_ID, uri: missing },
          ],
        }),
      ),
    ).toEqual({
      code: 'NOT_FOUND',
      message: `${missing} could not be attached, so nothing was sent: Countersign has no resource ${missing}`,
    });
    // Another person's note reads as not found through her own connection, just the same.
    expect(
      await refusal(
        ulf.client.api.chats.send.mutate({
          chatId: (await ulf.client.api.chats.create.mutate({})).id,
          text: 'x',
          attachments: [{ serverId: INTERNAL_SERVER_ID, uri: budgetUri }],
        }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`Countersign has no resource ${budgetUri}`) });

    const { history } = await uma.client.api.chats.get.query({ chatId: refusedChat });
    expect(history.messages).toEqual([]);
    expect(history.runState).toEqual({ status: 'idle' });
    expect(model.requests.length).toBe(asked);
  });
});

test('a server that announces a new prompt tells the chats that use it, and their composers list it', async () => {
  const script = fileURLToPath(new URL('../fixtures/growing-lists-server.ts', import.meta.url));
  const { id } = await server.catalogue.create({ name: 'Growing', transport: 'stdio', command: process.execPath, args: [script] });
  const growingChat = (await uma.client.api.chats.create.mutate({ enabledServers: [] })).id;
  await uma.client.api.servers.connect.mutate({ serverId: id, chatId: growingChat });
  const names = async () => (await uma.client.api.servers.prompts.query({ chatId: growingChat })).prompts.map((p) => p.name);
  expect(await names()).toEqual(['first']);

  const { recorder, unsubscribe } = await follow(uma, growingChat);
  expect(await server.mcpHandlers.forUser(umaId).callTool('growing__add_prompt', { name: 'second' })).toMatchObject({ ok: true });
  expect(await recorder.until((e) => e.type === 'server_lists_changed')).toMatchObject({ serverId: id });
  unsubscribe();
  expect(await names()).toEqual(['first', 'second']);
});
