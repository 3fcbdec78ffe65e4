/**
 * MCP roots per chat: a server is offered the folders its admin allows and the chat's owner chose
 * (none by default), by name; one the admin has since removed is not offered; the server hears
 * `notifications/roots/list_changed` when a chat's choice changes, and asks again. Nobody sets or
 * sees another person's. A whole Countersign server on port 0, with small stdio servers built on
 * the 2.x server package (tests/fixtures/roots-server.ts) in both protocol eras.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../db/database.ts';
import type { PersonQuestions } from '../../server/agent/tool-port.ts';
import { ChatStore } from '../../server/chats/chat-store.ts';
import { LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { createLogger } from '../../server/log.ts';
import type { CatalogueService } from '../../server/mcp/catalogue.ts';
import type { MCPHandler } from '../../server/mcp/mcp-handler.ts';
import { MCPHandlerManager } from '../../server/mcp/mcp-handler-manager.ts';
import { PersonRoots } from '../../server/mcp/person-roots.ts';
import { follow } from '../faults/support.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { catalogueService, createUser, testServerAuth } from './support.ts';
import { refusal } from '../support/refusal.ts';

const FIXTURE = join(import.meta.dir, '..', 'fixtures', 'roots-server.ts');
const PROJECTS = 'file:///srv/projects';
const DOCS = 'file:///srv/docs';

let server: TestServer;
let uma: Person;
let ulf: Person;
/** Allows two folders; the 2025 fixture. */
let files: string;

beforeAll(async () => {
  server = await startTestServer();
  [uma, ulf] = await Promise.all([signIn(server.url, 'uma@countersign.dev'), signIn(server.url, 'ulf@countersign.dev')]);
  files = await catalogued('Files', '2025', [{ uri: PROJECTS, name: 'Projects' }, { uri: DOCS }]);
});
afterAll(async () => {
  await Promise.all([uma.client.close(), ulf.client.close()]);
  await server[Symbol.asyncDispose]();
});

/** As server/mcp/setup.ts builds it. */
function personRoots(store: ChatStore, catalogue: CatalogueService): PersonRoots {
  return new PersonRoots({
    catalogue,
    chosen: {
      ofChat: async (userId, chatId) => (await store.get(userId, chatId))?.roots,
      ofPerson: (userId) => store.rootsOfOwner(userId),
    },
  });
}

async function catalogued(name: string, era: '2025' | '2026', allowedRoots: { uri: string; name?: string }[]): Promise<string> {
  const entry = await server.catalogue.create({ name, transport: 'stdio', command: process.execPath, args: [FIXTURE, era], allowedRoots });
  return entry.id;
}

/** The person's MCP handler, with the server connected through the API as the web chat does it. */
async function connected(person: Person, serverId: string): Promise<MCPHandler> {
  expect(await person.client.api.servers.connect.mutate({ serverId })).toMatchObject({ connection: 'connected' });
  return server.mcpHandlers.forUser((await person.client.api.auth.me.query()).id);
}

/** The person behind a call made from `chatId`, as the agent passes it; this test's calls ask nothing else. */
const inChat = (chatId: string): PersonQuestions => ({
  chatId,
  elicit: async () => ({ action: 'decline' }),
  sample: async () => ({ action: 'rejected', reason: 'not in this test' }),
});

/** What the fixture's tool answered, parsed; called from `chatId`'s run, or from outside any chat. */
async function ask(mcp: MCPHandler, tool: string, chatId?: string): Promise<Record<string, unknown>> {
  const result = await mcp.callTool(tool, {}, chatId ? { questions: inChat(chatId) } : {});
  if (!result.ok) throw new Error(result.message);
  return JSON.parse(result.text);
}

describe('a chat’s roots', () => {
  test('a server whose admin allows no folders is not offered roots at all', async () => {
    const plain = await catalogued('Plain', '2025', []);
    const mcp = await connected(ulf, plain);
    expect(await ask(mcp, 'plain__roots')).toEqual({ declared: false });
  });

  test('none by default; the folders the owner ticks are offered, by name; one the admin does not allow is refused by name', async () => {
    const mcp = await connected(uma, files);
    const api = uma.client.api;
    const chat = await api.chats.create.mutate({ enabledServers: [files] });
    expect(chat.roots).toEqual({});
    expect(await ask(mcp, 'files__roots')).toEqual({ declared: true, roots: [] });

    const updated = await api.chats.setRoots.mutate({ chatId: chat.id, serverId: files, uris: [PROJECTS] });
    expect(updated.roots).toEqual({ [files]: [PROJECTS] });
    expect(await ask(mcp, 'files__roots')).toEqual({ declared: true, roots: [{ uri: PROJECTS, name: 'Projects' }] });

    expect(await refusal(api.chats.setRoots.mutate({ chatId: chat.id, serverId: files, uris: [PROJECTS, 'file:///etc'] }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'Files cannot be offered file:///etc: its administrator does not allow it.',
    });
    expect(await refusal(api.chats.setRoots.mutate({ chatId: chat.id, serverId: 'no-such-server', uris: [] }))).toEqual({
      code: 'NOT_FOUND',
      message: 'No MCP server no-such-server in the catalogue.',
    });
    expect((await api.chats.get.query({ chatId: chat.id })).chat.roots).toEqual({ [files]: [PROJECTS] });
  });

  test('the server hears that its roots changed, asks again, and is answered with what the person’s chats offer', async () => {
    const mcp = await connected(uma, files);
    const api = uma.client.api;
    const before = (await ask(mcp, 'files__roots_seen')).listChanged as number;
    const chat = await api.chats.create.mutate({ enabledServers: [files] });
    await api.chats.setRoots.mutate({ chatId: chat.id, serverId: files, uris: [DOCS] });

    const seen = await eventually(async () => {
      const now = await ask(mcp, 'files__roots_seen');
      return (now.listChanged as number) > before && (now.roots as { uri: string }[]).some((r) => r.uri === DOCS) ? now : undefined;
    }, 'the server to ask for its roots again');
    // Outside a call no chat is asking: the roots any of Uma's chats offers, in the admin's order.
    expect(seen.roots).toEqual([{ uri: PROJECTS, name: 'Projects' }, { uri: DOCS }]);
  });

  test('deleting a chat that offered roots tells the server, which no longer sees them', async () => {
    const serverId = await catalogued('Deleted roots', '2025', [{ uri: PROJECTS, name: 'Projects' }, { uri: DOCS }]);
    const mcp = await connected(ulf, serverId);
    const chat = await ulf.client.api.chats.create.mutate({ enabledServers: [serverId] });
    await ulf.client.api.chats.setRoots.mutate({ chatId: chat.id, serverId, uris: [DOCS] });
    const offered = (now: Record<string, unknown>) => (now.roots as { uri: string }[]).map((root) => root.uri);
    await eventually(
      async () => offered(await ask(mcp, 'deleted-roots__roots_seen')).includes(DOCS) || undefined,
      'the server to see the chat’s roots',
    );

    await ulf.client.api.chats.delete.mutate({ chatId: chat.id });
    await eventually(
      async () => !offered(await ask(mcp, 'deleted-roots__roots_seen')).includes(DOCS) || undefined,
      'the server to hear they are gone',
    );
  });

  test('a change is announced to the chat’s followers as chat_updated', async () => {
    const api = uma.client.api;
    const chat = await api.chats.create.mutate({ enabledServers: [] });
    const { recorder, unsubscribe } = await follow(uma, chat.id);
    await api.chats.setRoots.mutate({ chatId: chat.id, serverId: files, uris: [DOCS, DOCS] });
    const updated = await recorder.until((e) => e.type === 'chat_updated');
    unsubscribe();
    expect(updated).toMatchObject({ type: 'chat_updated', chat: { id: chat.id, roots: { [files]: [DOCS] } } });
  });

  test('another person can neither set a chat’s roots nor see them', async () => {
    const chat = await uma.client.api.chats.create.mutate({ enabledServers: [files] });
    await uma.client.api.chats.setRoots.mutate({ chatId: chat.id, serverId: files, uris: [PROJECTS] });

    expect(await refusal(ulf.client.api.chats.setRoots.mutate({ chatId: chat.id, serverId: files, uris: [] }))).toEqual({
      code: 'NOT_FOUND',
      message: 'No such chat: it was deleted, or it is not yours.',
    });
    expect((await uma.client.api.chats.get.query({ chatId: chat.id })).chat.roots).toEqual({ [files]: [PROJECTS] });
    // Ulf's own connection to the same server: none of Uma's folders.
    expect(await ask(await connected(ulf, files), 'files__roots')).toEqual({ declared: true, roots: [] });
  });

  test('a 2026-07-28 server gets the chosen roots through its call’s input_required round trip', async () => {
    const modern = await catalogued('Files 2026', '2026', [{ uri: PROJECTS, name: 'Projects' }]);
    const mcp = await connected(uma, modern);
    const chat = await uma.client.api.chats.create.mutate({ enabledServers: [modern] });
    expect(await ask(mcp, 'files-2026__roots')).toEqual({ declared: true, roots: [] });
    await uma.client.api.chats.setRoots.mutate({ chatId: chat.id, serverId: modern, uris: [PROJECTS] });
    expect(await ask(mcp, 'files-2026__roots')).toEqual({ declared: true, roots: [{ uri: PROJECTS, name: 'Projects' }] });
  });

  test('a folder the admin removes is no longer offered, whatever a chat chose; with none left, roots are not declared', async () => {
    const shared = await catalogued('Shared', '2025', [{ uri: PROJECTS }, { uri: DOCS }]);
    const mcp = await connected(uma, shared);
    const chat = await uma.client.api.chats.create.mutate({ enabledServers: [shared] });
    await uma.client.api.chats.setRoots.mutate({ chatId: chat.id, serverId: shared, uris: [PROJECTS, DOCS] });
    expect(await ask(mcp, 'shared__roots')).toEqual({ declared: true, roots: [{ uri: PROJECTS }, { uri: DOCS }] });

    // An admin's edit reopens everyone's connections to the server, as other catalogue edits do.
    await server.catalogue.update(shared, { allowedRoots: [{ uri: DOCS }] });
    expect(await ask(mcp, 'shared__roots')).toEqual({ declared: true, roots: [{ uri: DOCS }] });
    await server.catalogue.update(shared, { allowedRoots: [] });
    expect(await ask(mcp, 'shared__roots')).toEqual({ declared: false });
  });

  test('the chat’s input is bounded, in one sentence', async () => {
    const chat = await uma.client.api.chats.create.mutate({ enabledServers: [] });
    const uris = Array.from({ length: 21 }, (_, i) => `file:///srv/${i}`);
    expect(await refusal(uma.client.api.chats.setRoots.mutate({ chatId: chat.id, serverId: files, uris }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'A chat offers a server at most 20 roots.',
    });
  });
});

describe('which chat’s roots a request is answered with', () => {
  test('a request during a call in one chat gets that chat’s roots only; outside any call, every chat’s of the person, deleted ones not', async () => {
    const roots = personRoots(new ChatStore(server.db), server.catalogue);
    // Ada has no chats of earlier tests: what she chooses here is all she offers.
    const ada = await signIn(server.url, 'ada@countersign.dev');
    const adaId = (await ada.client.api.auth.me.query()).id;
    const ulfId = (await ulf.client.api.auth.me.query()).id;
    const api = ada.client.api;
    const first = await api.chats.create.mutate({ enabledServers: [] });
    const second = await api.chats.create.mutate({ enabledServers: [] });
    await api.chats.setRoots.mutate({ chatId: first.id, serverId: files, uris: [PROJECTS] });
    await api.chats.setRoots.mutate({ chatId: second.id, serverId: files, uris: [DOCS] });

    expect(await roots.list(adaId, files, first.id)).toEqual([{ uri: PROJECTS, name: 'Projects' }]);
    expect(await roots.list(adaId, files, second.id)).toEqual([{ uri: DOCS }]);
    // Ada's chat id in Ulf's name is no chat of his.
    expect(await roots.list(ulfId, files, first.id)).toEqual([]);
    expect(await roots.list(adaId, files, undefined)).toEqual([{ uri: PROJECTS, name: 'Projects' }, { uri: DOCS }]);

    await api.chats.delete.mutate({ chatId: second.id });
    expect(await roots.list(adaId, files, second.id)).toEqual([]);
    expect(await roots.list(adaId, files, undefined)).toEqual([{ uri: PROJECTS, name: 'Projects' }]);
    await ada.client.close();
  });

  test.each(['2025', '2026'] as const)(
    'a call from one chat (%s era) is shown that chat’s roots, not another chat’s of the same person',
    async (era) => {
      const serverId = await catalogued(`Chat roots ${era}`, era, [{ uri: PROJECTS, name: 'Projects' }, { uri: DOCS }]);
      const tool = `chat-roots-${era}__roots`;
      const mcp = await connected(uma, serverId);
      const api = uma.client.api;
      const projects = await api.chats.create.mutate({ enabledServers: [serverId] });
      const docs = await api.chats.create.mutate({ enabledServers: [serverId] });
      await api.chats.setRoots.mutate({ chatId: projects.id, serverId, uris: [PROJECTS] });
      await api.chats.setRoots.mutate({ chatId: docs.id, serverId, uris: [DOCS] });

      expect((await ask(mcp, tool, projects.id)).roots).toEqual([{ uri: PROJECTS, name: 'Projects' }]);
      expect((await ask(mcp, tool, docs.id)).roots).toEqual([{ uri: DOCS }]);
    },
  );
});

describe('across instances', () => {
  test('a change made through one instance reaches the person’s connection held by another', async () => {
    // Two MCP layers over one database and one control channel; only the second holds Uma's connection.
    const db = openSqliteDatabase(':memory:');
    const control = new LocalControlChannel();
    const log = createLogger('error');
    const auth = testServerAuth(db);
    const catalogue = catalogueService(db, control, log, auth);
    const store = new ChatStore(db);
    const roots = personRoots(store, catalogue);
    const instance = () =>
      new MCPHandlerManager({
        db,
        catalogue,
        log,
        config: { toolTimeoutMs: 10_000 },
        origin: () => 'http://127.0.0.1:1',
        control,
        auth,
        roots,
      });
    const [a, b] = [instance(), instance()];
    try {
      const { id } = await catalogue.create({
        name: 'Elsewhere',
        transport: 'stdio',
        command: process.execPath,
        args: [FIXTURE, '2025'],
        allowedRoots: [{ uri: PROJECTS }],
      });
      const uma = await createUser(db, 'uma');
      const chat = await store.create(uma, {});
      const mcp = b.forUser(uma);
      expect(await mcp.connect(id)).toMatchObject({ status: 'connected' });
      await eventually(async () => (await ask(mcp, 'elsewhere__roots_seen')).roots, 'the server to ask for its roots once connected');

      await store.setRoots(uma, chat.id, id, [PROJECTS]);
      await a.rootsChanged(uma, id);
      expect(a.peek(uma)).toBeUndefined();
      const seen = await eventually(async () => {
        const now = await ask(mcp, 'elsewhere__roots_seen');
        return now.listChanged === 1 ? now : undefined;
      }, 'the connection on the other instance to tell the server');
      expect(seen.roots).toEqual([{ uri: PROJECTS }]);
    } finally {
      await Promise.all([a.closeAll(), b.closeAll()]);
      db.close();
    }
  });
});
