/**
 * The built-in MCP server at /mcp, reached the way users reach it: a whole Countersign server on
 * port 0, its seeded catalogue, and each user's MCP handler over Streamable HTTP with a token the
 * backend signs for that user.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCallResult, ToolProgress } from '../../server/agent/tool-port.ts';
import { MAX_OPEN_REQUESTS_PER_USER } from '../../server/mcp-server/requests.ts';
import { McpUserTokens } from '../../server/mcp-server/user-token.ts';
import { EVERYTHING_SERVER_ID, INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { ServerConnection } from '../../server/mcp/connection.ts';
import { eventually } from '../support/eventually.ts';
import { startTestServer } from '../support/test-server.ts';
import { startMutableServer, tool } from './fixtures/mutable-server.ts';
import { createUser } from './support.ts';
import { postMcp, startCancellableCalls } from '../support/internal-mcp-client.ts';

const server = await startTestServer();
afterAll(() => server[Symbol.asyncDispose]());

const alice = await createUser(server.db, 'alice');
const bob = await createUser(server.db, 'bob');

/** A new person's MCP handler, so each test starts from nothing another test left behind. */
async function newPerson(name: string) {
  return server.mcpHandlers.forUser(await createUser(server.db, name));
}

/** A new person with the built-in server connected. */
async function connectedPerson(name: string) {
  const mcp = await newPerson(name);
  await mcp.connect(INTERNAL_SERVER_ID);
  return mcp;
}

function text(outcome: ToolCallResult): string {
  return outcome.ok ? outcome.text : outcome.message;
}

function notesOf(outcome: ToolCallResult): { id: string; title: string }[] {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.structuredContent!.notes as { id: string; title: string }[];
}

describe('catalogue seed', () => {
  test('a new install offers the built-in server at its own origin, and server-everything over stdio', async () => {
    const entries = await server.catalogue.list();
    expect(entries.find((e) => e.id === INTERNAL_SERVER_ID)).toMatchObject({
      transport: 'streamable-http',
      url: `${server.url}/mcp`,
      trusted: true,
      secretHeaders: { Authorization: 'countersign:user-token' },
    });
    expect(entries.find((e) => e.id === EVERYTHING_SERVER_ID)).toMatchObject({ transport: 'stdio', command: process.execPath });
  });
});

describe('built-in tools', () => {
  test('connect and list, with honest annotations', async () => {
    const aliceMcp = await newPerson('alice');
    expect(await aliceMcp.connect(INTERNAL_SERVER_ID)).toMatchObject({ status: 'connected', protocolVersion: '2025-11-25' });
    const { tools } = await aliceMcp.listTools();
    const hints = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    expect(Object.keys(hints).sort()).toEqual([
      'calculate',
      'notes_create',
      'notes_delete',
      'notes_list',
      'notes_search',
      // Countersign's own, for a server that declares resources (tests/mcp/resource-tool.test.ts).
      'read_resource',
      'slow_count',
      'time_now',
    ]);
    expect(hints.notes_create).toMatchObject({ readOnlyHint: false, destructiveHint: false, openWorldHint: false });
    expect(hints.notes_delete).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    for (const name of ['notes_list', 'notes_search', 'time_now', 'calculate']) expect(hints[name]!.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === 'notes_list')!.outputSchema).toMatchObject({ type: 'object' });
  });

  test('notes: create, list, search, delete', async () => {
    const aliceMcp = await connectedPerson('alice');
    const created = await aliceMcp.callTool('countersign__notes_create', { title: 'Groceries', body: 'eggs, 100% rye flour' });
    expect(created).toMatchObject({ ok: true, structuredContent: { note: { title: 'Groceries' } } });
    const id = created.ok ? (created.structuredContent!.note as { id: string }).id : '';
    await aliceMcp.callTool('countersign__notes_create', { title: 'Ideas', body: 'a 50_50 split' });

    const listed = await aliceMcp.callTool('countersign__notes_list', {});
    expect(notesOf(listed)).toHaveLength(2);
    const found = await aliceMcp.callTool('countersign__notes_search', { query: 'RYE' });
    expect(notesOf(found).map((n) => n.id)).toEqual([id]);
    // LIKE wildcards in the query are plain characters.
    const percent = await aliceMcp.callTool('countersign__notes_search', { query: '%' });
    expect(notesOf(percent).map((n) => n.title)).toEqual(['Groceries']);

    expect(await aliceMcp.callTool('countersign__notes_delete', { id })).toMatchObject({ ok: true });
    expect(await aliceMcp.callTool('countersign__notes_delete', { id })).toMatchObject({ ok: false, kind: 'tool-error' });
  });

  test('time_now validates the IANA zone', async () => {
    const aliceMcp = await connectedPerson('alice');
    const paris = await aliceMcp.callTool('countersign__time_now', { timezone: 'Europe/Paris' });
    expect(paris).toMatchObject({
      ok: true,
      structuredContent: { timezone: 'Europe/Paris', utcOffset: expect.stringMatching(/^\+0[12]:00$/) },
    });
    const utc = await aliceMcp.callTool('countersign__time_now', {});
    expect(utc).toMatchObject({ ok: true, structuredContent: { timezone: 'UTC', utcOffset: '+00:00' } });
    const bad = await aliceMcp.callTool('countersign__time_now', { timezone: 'Mars/Olympus_Mons' });
    expect(bad).toMatchObject({ ok: false, kind: 'tool-error' });
    expect(text(bad)).toContain('IANA');
  });

  test('calculate evaluates arithmetic and explains what it cannot', async () => {
    const aliceMcp = await connectedPerson('alice');
    expect(await aliceMcp.callTool('countersign__calculate', { expression: '2^10 - 24' })).toMatchObject({
      ok: true,
      structuredContent: { value: 1000 },
    });
    expect(await aliceMcp.callTool('countersign__calculate', { expression: '(1 + 2) * sqrt(16) / 4' })).toMatchObject({
      structuredContent: { value: 3 },
    });
    const divide = await aliceMcp.callTool('countersign__calculate', { expression: '1 / (2 - 2)' });
    expect(divide).toMatchObject({ ok: false, kind: 'tool-error' });
    expect(text(divide)).toContain('division by zero');
    const code = await aliceMcp.callTool('countersign__calculate', { expression: 'process.exit(1)' });
    expect(text(code)).toContain('unexpected character');
  });

  test('slow_count reports progress, and progress keeps a short timeout from firing', async () => {
    const aliceMcp = await connectedPerson('alice');
    const progress: ToolProgress[] = [];
    // 40 steps of 50 ms outlast the 1.5 s timeout only because each step restarts it; the gap
    // between steps is small enough beside the timeout that a loaded machine does not close it.
    const outcome = await aliceMcp.callTool(
      'countersign__slow_count',
      { to: 40, intervalMs: 50 },
      { timeoutMs: 1_500, onProgress: (p) => progress.push(p) },
    );
    expect(outcome).toMatchObject({ ok: true, text: 'Counted to 40.' });
    expect(progress.map((p) => p.progress)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(progress[39]).toEqual({ progress: 40, total: 40, message: 'counted 40 of 40' });
  });

  test('slow_count cancelled while it counts ends cancelled, and the connection stays usable', async () => {
    const aliceMcp = await connectedPerson('alice');
    const controller = new AbortController();
    // Cancelled once it has counted one: it is running, and 99 more steps are left.
    const outcome = await aliceMcp.callTool(
      'countersign__slow_count',
      { to: 100, intervalMs: 100 },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    expect(outcome).toMatchObject({ ok: false, kind: 'cancelled' });
    expect(await aliceMcp.callTool('countersign__calculate', { expression: '6 * 7' })).toMatchObject({
      ok: true,
      structuredContent: { value: 42 },
    });
  });
});

describe('one user cannot see another', () => {
  test("user B sees neither A's connections nor A's notes", async () => {
    const aliceMcp = await connectedPerson('alice');
    const bobMcp = await newPerson('bob');
    await aliceMcp.callTool('countersign__notes_create', { title: 'Alice only' });
    expect((await bobMcp.listTools()).servers).toEqual([]);
    expect(await bobMcp.callTool('countersign__notes_list', {})).toMatchObject({ ok: false, kind: 'unknown-tool' });

    await bobMcp.connect(INTERNAL_SERVER_ID);
    const bobs = await bobMcp.callTool('countersign__notes_list', {});
    expect(bobs).toMatchObject({ ok: true, structuredContent: { notes: [] } });
    expect(await bobMcp.callTool('countersign__notes_search', { query: 'Alice' })).toMatchObject({ structuredContent: { notes: [] } });
    const alices = await aliceMcp.callTool('countersign__notes_list', {});
    expect(notesOf(alices).map((n) => n.title)).toContain('Alice only');
  });

  test('many people at once over the one shared connection each get only their own notes', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => connectedPerson(`crowd-${i}`)));
    const seen = await Promise.all(
      people.map(async (mcp, i) => {
        await mcp.callTool('countersign__notes_create', { title: `Note of person ${i}` });
        return notesOf(await mcp.callTool('countersign__notes_list', {})).map((n) => n.title);
      }),
    );
    expect(seen).toEqual(people.map((_, i) => [`Note of person ${i}`]));
  });

  test('with no session between requests, each request acts for the user its token names', async () => {
    const aliceToken = (await server.mcpHandlers.userTokens.sign(alice)).token;
    const bobToken = (await server.mcpHandlers.userTokens.sign(bob)).token;
    const opened = await postMcp(server.url, aliceToken, initialize);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('mcp-session-id')).toBeNull();
    await opened.body?.cancel();

    await server.mcpHandlers.forUser(alice).connect(INTERNAL_SERVER_ID);
    await server.mcpHandlers.forUser(alice).callTool('countersign__notes_create', { title: 'Alice alone' });
    const asBob = await postMcp(server.url, bobToken, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'notes_list', arguments: {} },
    });
    expect(await resultOf(asBob)).toMatchObject({ structuredContent: { notes: [] } });
    // No event stream to hold open between requests: the spec's 405, which clients take as "none".
    const stream = await fetch(`${server.url}/mcp`, { headers: { authorization: `Bearer ${bobToken}`, accept: 'text/event-stream' } });
    expect(stream.status).toBe(405);
  });

  test('a browser page from another origin is refused even with a token (DNS rebinding); its own origin and no origin pass', async () => {
    const token = (await server.mcpHandlers.userTokens.sign(alice)).token;
    const post = (origin?: string) =>
      fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(origin ? { origin } : {}),
        },
        body: JSON.stringify(initialize),
      });
    const foreign = await post('http://rebound.example');
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
    for (const allowed of [server.url, undefined]) {
      const answered = await post(allowed);
      expect(answered.status).toBe(200);
      await answered.body?.cancel();
    }
  });
});

/** The JSON-RPC request a client opens with. */
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};

/** The result in an SSE response to one request. */
async function resultOf(response: Response): Promise<unknown> {
  const data = (await response.text()).split('\n').find((line) => line.startsWith('data: {'));
  return (JSON.parse(data!.slice('data: '.length)) as { result: unknown }).result;
}

describe('outside MCP clients at /mcp', () => {
  const opened: ServerConnection[] = [];
  afterAll(() => Promise.all(opened.map((c) => c.close())));

  /** A client of /mcp over Streamable HTTP with the person's token, as any MCP client outside this process connects. */
  async function overHttp(userId: string) {
    const entry = (await server.catalogue.get(INTERNAL_SERVER_ID))!;
    const connection = new ServerConnection(entry, {
      userId,
      log: server.log,
      toolTimeoutMs: 10_000,
      ownOrigin: () => server.url,
      boundary: server.catalogue.boundary,
      auth: server.mcpHandlers.auth,
      userToken: async () => (await server.mcpHandlers.userTokens.sign(userId)).token,
      profiles: new Map(),
      onToolsChanged: () => {},
      onErrorChanged: () => {},
    });
    opened.push(connection);
    return connection;
  }

  test('act for the person their token names: the same notes the person sees in chat, and nobody else’s', async () => {
    const carol = await createUser(server.db, 'carol');
    await server.mcpHandlers.forUser(carol).connect(INTERNAL_SERVER_ID);
    await server.mcpHandlers.forUser(carol).callTool('countersign__notes_create', { title: 'Carol in chat' });
    const asCarol = await overHttp(carol);
    await asCarol.callTool('notes_create', { title: 'Carol from outside' }, {});
    // Countersign's own client negotiates, and /mcp speaks the newest era too.
    expect(asCarol.state()).toMatchObject({ status: 'connected', protocolVersion: '2026-07-28' });
    const titles = (outcome: ToolCallResult) =>
      notesOf(outcome)
        .map((n) => n.title)
        .sort();
    expect(titles(await asCarol.callTool('notes_list', {}, {}))).toEqual(['Carol from outside', 'Carol in chat']);
    expect(titles(await server.mcpHandlers.forUser(carol).callTool('countersign__notes_list', {}))).toEqual([
      'Carol from outside',
      'Carol in chat',
    ]);

    const asDave = await overHttp(await createUser(server.db, 'dave'));
    expect(await asDave.callTool('notes_list', {}, {})).toMatchObject({ ok: true, structuredContent: { notes: [] } });
  });

  test('get progress on the response to their call', async () => {
    const asErin = await overHttp(await createUser(server.db, 'erin'));
    const progress: number[] = [];
    const outcome = await asErin.callTool('slow_count', { to: 3, intervalMs: 10 }, { onProgress: (p) => progress.push(p.progress) });
    expect(outcome).toMatchObject({ ok: true, text: 'Counted to 3.' });
    expect(progress).toEqual([1, 2, 3]);
  });

  test('hold only a bounded number of requests open, and a call whose client went away stops holding one', async () => {
    const token = (await server.mcpHandlers.userTokens.sign(await createUser(server.db, 'frank'))).token;
    const call = (id: number, name: string, args: unknown, progressToken?: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name, arguments: args, ...(progressToken === undefined ? {} : { _meta: { progressToken } }) },
    });
    // Its first progress, a second in, is what the response starts with.
    const slowCount = (id: number) => call(id, 'slow_count', { to: 100, intervalMs: 1000 }, id);
    const clients = Array.from({ length: MAX_OPEN_REQUESTS_PER_USER }, () => new AbortController());
    const open = await Promise.all(clients.map((client, i) => postMcp(server.url, token, slowCount(i), client.signal)));
    expect(open.map((response) => response.status)).toEqual(clients.map(() => 200));

    const refused = await postMcp(server.url, token, slowCount(100));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { message: expect.stringContaining('requests open') } });
    // Another person is not held back by frank's calls.
    const other = (await server.mcpHandlers.userTokens.sign(alice)).token;
    expect(await resultOf(await postMcp(server.url, other, call(1, 'calculate', { expression: '6 * 7' })))).toMatchObject({
      structuredContent: { value: 42 },
    });

    clients[0]!.abort();
    const answered = await eventually(async () => {
      const response = await postMcp(server.url, token, call(101, 'calculate', { expression: '1 + 1' }));
      return response.status === 200 ? resultOf(response) : undefined;
    }, "frank's call to be answered once one of his clients went away");
    expect(answered).toMatchObject({ structuredContent: { value: 2 } });
    for (const client of clients) client.abort();
  });
});

describe('a call its client cancels', () => {
  /** A quick call, to see whether the person may open one more request. */
  const oneMore = {
    jsonrpc: '2.0',
    id: 'one-more',
    method: 'tools/call',
    params: { name: 'calculate', arguments: { expression: '1 + 1' } },
  };

  test('stops on the server and no longer holds one of the person’s open requests; another person’s cancel naming it does nothing', async () => {
    const gina = (await server.mcpHandlers.userTokens.sign(await createUser(server.db, 'gina'))).token;
    const hal = (await server.mcpHandlers.userTokens.sign(await createUser(server.db, 'hal'))).token;
    const callIds: RequestId[] = [];
    const client = new Client({ name: 'outside-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${gina}` } },
        fetch: (url, init) => {
          const message = JSON.parse(String(init?.body ?? '{}')) as { id?: RequestId; method?: string };
          if (message.method === 'tools/call') callIds.push(message.id!);
          return fetch(url, init);
        },
      }),
    );
    const calls = startCancellableCalls(client, MAX_OPEN_REQUESTS_PER_USER, 200);
    try {
      await eventually(() => calls.every((call) => call.progress > 0), "all of gina's calls to be counting");
      expect((await postMcp(server.url, gina, oneMore)).status).toBe(429);

      // Hal names gina's calls: each is answered as a notification is, and stops nothing.
      for (const requestId of callIds) {
        const cancelled = await postMcp(server.url, hal, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId } });
        expect(cancelled.status).toBe(202);
      }
      expect((await postMcp(server.url, gina, oneMore)).status).toBe(429);
      const counted = calls[0]!.progress;
      await eventually(() => calls[0]!.progress > counted, "gina's first call to go on counting after hal's cancel");

      calls[0]!.cancel.abort('gina changed her mind');
      expect(await calls[0]!.outcome).toBeInstanceOf(Error);
      const answered = await eventually(async () => {
        const response = await postMcp(server.url, gina, oneMore);
        if (response.status === 200) return resultOf(response);
        await response.body?.cancel();
      }, "gina's cancelled call to stop holding one of her open requests");
      expect(answered).toMatchObject({ structuredContent: { value: 2 } });
    } finally {
      for (const call of calls) call.cancel.abort();
      await client.close();
    }
  }, 30_000);

  test('from a 2026-07-28 client, which cancels by going away, likewise stops holding one of the person’s open requests', async () => {
    const ivy = (await server.mcpHandlers.userTokens.sign(await createUser(server.db, 'ivy'))).token;
    const client = new ModernClient({ name: 'outside-client', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new ModernTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${ivy}` } } }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const calls = Array.from({ length: MAX_OPEN_REQUESTS_PER_USER }, () => {
      const call = { cancel: new AbortController(), progress: 0, outcome: Promise.resolve<unknown>(undefined) };
      call.outcome = client
        .callTool(
          { name: 'slow_count', arguments: { to: 100, intervalMs: 200 } },
          { signal: call.cancel.signal, onprogress: () => call.progress++ },
        )
        .catch((error: unknown) => error);
      return call;
    });
    try {
      await eventually(() => calls.every((call) => call.progress > 0), "all of ivy's calls to be counting");
      expect((await postMcp(server.url, ivy, oneMore)).status).toBe(429);

      calls[0]!.cancel.abort('ivy changed her mind');
      expect(await calls[0]!.outcome).toBeInstanceOf(Error);
      const answered = await eventually(async () => {
        const response = await postMcp(server.url, ivy, oneMore);
        if (response.status === 200) return resultOf(response);
        await response.body?.cancel();
      }, "ivy's cancelled call to stop holding one of her open requests");
      expect(answered).toMatchObject({ structuredContent: { value: 2 } });
    } finally {
      for (const call of calls) call.cancel.abort();
      await client.close();
    }
  }, 30_000);
});

describe('the internal server accepts only tokens this backend signed', () => {
  const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });

  test('no token, a forged token, or a sign-in style token: 401', async () => {
    const forged = (await new McpUserTokens().sign(alice)).token;
    for (const authorization of [undefined, `Bearer ${forged}`, 'Bearer not-a-jwt', `Basic ${btoa('alice:pw')}`]) {
      const res = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: initialize,
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  test('the user token is never sent to another origin, even if an admin asks for it', async () => {
    const elsewhere = startMutableServer([tool('anything')]);
    const { id } = await server.catalogue.create({
      name: 'Elsewhere',
      transport: 'streamable-http',
      url: elsewhere.url,
      secretHeaders: { Authorization: 'countersign:user-token' },
    });
    const aliceMcp = await newPerson('alice');
    const state = await aliceMcp.connect(id);
    expect(state).toMatchObject({ status: 'unavailable', error: expect.stringContaining("only sent to this server's own origin") });
    expect(elsewhere.pages).toEqual([]);
    await aliceMcp.disconnect(id);
    await elsewhere.stop();
  });
});

describe('shutdown', () => {
  test('stops without waiting out its timeout while users hold open MCP sessions', async () => {
    // A shutdown timeout far beyond this test's own: that stop() finishes at all shows the open sessions did not hold it.
    const other = await startTestServer({ SHUTDOWN_TIMEOUT_MS: '600000' });
    const user = await createUser(other.db, 'carol');
    expect(await other.mcpHandlers.forUser(user).connect(INTERNAL_SERVER_ID)).toMatchObject({ status: 'connected' });
    await other[Symbol.asyncDispose]();
    expect(other.db.closed).toBe(true);
  });

  test('ends a call still running at /mcp rather than waiting for it', async () => {
    const other = await startTestServer({ SHUTDOWN_TIMEOUT_MS: '600000' });
    const token = (await other.mcpHandlers.userTokens.sign(await createUser(other.db, 'dora'))).token;
    // Its first progress, a second in, is what the response starts with; finishing would take 100 s.
    const params = { name: 'slow_count', arguments: { to: 100, intervalMs: 1000 }, _meta: { progressToken: 1 } };
    const call = await postMcp(other.url, token, { jsonrpc: '2.0', id: 1, method: 'tools/call', params });
    expect(call.status).toBe(200);
    await other[Symbol.asyncDispose]();
    expect(other.db.closed).toBe(true);
    // Its stream ended with the server, and with no result: the call was stopped, not finished.
    expect(await call.text()).not.toContain('Counted to');
  });
});
