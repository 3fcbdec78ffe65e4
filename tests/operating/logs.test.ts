/**
 * The server's log as operators read it: JSON lines through pino, credentials redacted wherever
 * they appear (by field name, and inside text such as an MCP server's message echoing a header),
 * a request id on every line written for a request (the client's own when it sent a sane one,
 * echoed in the response), and LOG_LEVEL deciding what is written.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { createCountersignClient } from '../../shared/client.ts';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { capturedLog } from '../support/captured-log.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startLegacyLoggingServer } from '../mcp/fixtures/logging-servers.ts';

const API_TOKEN = 'cs_Zx81kQp0bWnq3TgLe7Ys5Hd2';
const SESSION_COOKIE = 'countersign_session=4f1c9a7e2d8b6f03';
const CATALOGUE_SECRET = 'catalogue-secret-91d2c7';

describe('lines', () => {
  test('a bearer token, a cookie and a catalogue secret show as [redacted], by field name and inside text', () => {
    const { log, lines, text } = capturedLog('debug');
    log.warn(`upstream refused Bearer ${API_TOKEN}`, {
      request: { headers: { Authorization: `Bearer ${API_TOKEN}`, cookie: SESSION_COOKIE, 'X-Api-Key': CATALOGUE_SECRET } },
      attempts: [{ url: 'https://mcp.example.test', token: 'tk-5525' }],
      oauth: { tokens: { accessToken: 'at-5521', refreshToken: 'rt-5522' }, clientSecret: 'cs-5523' },
      password: 'pw-5524',
      error: new Error(`MCP server answered 401: X-Api-Key: ${CATALOGUE_SECRET} is not valid`, {
        cause: new Error(`sent cookie: ${SESSION_COOKIE}`),
      }),
      detail: `retrying with ${API_TOKEN}`,
    });

    for (const secret of [
      API_TOKEN,
      SESSION_COOKIE,
      '4f1c9a7e2d8b6f03',
      CATALOGUE_SECRET,
      'at-5521',
      'rt-5522',
      'cs-5523',
      'pw-5524',
      'tk-5525',
    ])
      expect(text()).not.toContain(secret);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'upstream refused Bearer [redacted]',
      request: { headers: { Authorization: '[redacted]', cookie: '[redacted]', 'X-Api-Key': '[redacted]' } },
      attempts: [{ url: 'https://mcp.example.test', token: '[redacted]' }],
      oauth: { tokens: { accessToken: '[redacted]', refreshToken: '[redacted]' }, clientSecret: '[redacted]' },
      password: '[redacted]',
      error: { name: 'Error', message: 'MCP server answered 401: X-Api-Key: [redacted]', cause: { message: 'sent cookie: [redacted]' } },
      detail: 'retrying with cs_[redacted]',
    });
    // The rest of a line stays readable.
    expect(line?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line?.error).toMatchObject({ stack: expect.stringContaining('logs.test.ts') });
  });

  test('a field named like a line’s own keys is kept under another name, never written twice', () => {
    const { log, lines, text } = capturedLog('debug');
    log.debug('mcp server refused its log level', { level: 'warning', msg: 'unsupported' });
    expect(text().match(/"level":/g)).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'debug', msg: 'mcp server refused its log level', level_: 'warning', msg_: 'unsupported' });
  });

  test('a field a child logger is bound to is written once: left out when given again alike, kept apart when it differs', () => {
    const { log, text } = capturedLog('debug');
    const handler = log.child({ feature: 'agent' }).child({ userId: 'u-1' });
    handler.error('chat run failed', { userId: 'u-1', threadId: 't-1' });
    handler.warn('acting for another', { userId: 'u-2' });
    const [failed, other] = text().trim().split('\n');
    expect(failed?.match(/"userId":/g)).toHaveLength(1);
    expect(JSON.parse(failed!)).toMatchObject({ feature: 'agent', userId: 'u-1', threadId: 't-1' });
    expect(JSON.parse(other!)).toMatchObject({ userId: 'u-1', userId_: 'u-2' });
  });

  test('LOG_LEVEL decides which lines are written', () => {
    const { log, lines } = capturedLog('warn');
    log.debug('checking');
    log.info('started');
    log.warn('slow');
    log.error('failed');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      ['warn', 'slow'],
      ['error', 'failed'],
    ]);
  });
});

describe('a running server', () => {
  const SECRET_VARIABLE = 'LOGS_TEST_CATALOGUE_SECRET';
  const captured = capturedLog('debug');
  const mcpServer = startLegacyLoggingServer();
  const model = startOpenAIFixture();
  let server: TestServer;
  let uma: Person;
  let serverId: string;

  beforeAll(async () => {
    process.env[SECRET_VARIABLE] = CATALOGUE_SECRET;
    server = await startTestServer(
      { LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_API_KEY: 'test', LLM_MODEL: 'fixture' },
      { log: captured.log },
    );
    uma = await signIn(server.url, 'uma@countersign.dev');
    ({ id: serverId } = await server.catalogue.create({
      name: 'Indexer',
      transport: 'streamable-http',
      url: mcpServer.url,
      secretHeaders: { 'X-Api-Key': `env:${SECRET_VARIABLE}` },
      logLevel: 'info',
    }));
  });
  afterAll(async () => {
    await uma.client.close();
    await server[Symbol.asyncDispose]();
    await mcpServer.stop();
    await model.stop();
    delete process.env[SECRET_VARIABLE];
  });

  async function userIdOf(person: Person): Promise<string> {
    const users = server.db.tables.users;
    const [row] = await server.db.drizzle.select().from(users).where(eq(users.email, person.email));
    if (!row) throw new Error(`no account for ${person.email}`);
    return row.id;
  }

  const connect = (requestId: string) =>
    fetch(`${server.url}/trpc/servers.connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: uma.cookie, origin: server.url, 'x-request-id': requestId },
      body: JSON.stringify({ serverId }),
    });

  test('a line written deep inside a tRPC request carries the id the client sent, and the response echoes it', async () => {
    const answer = await connect('report-7f3a.1');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toBe('report-7f3a.1');
    // The connection's line is written deep in the MCP client, never handed the id.
    const connected = captured.lines.find((line) => line.msg === 'mcp connected' && line.serverId === serverId);
    expect(connected?.requestId).toBe('report-7f3a.1');
  });

  test('an id that is not a short plain token is replaced with a new one', async () => {
    const answer = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id; <script>' } });
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'a'.repeat(65) } });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('the typed client names each request, and a refused API token stays out of the log', async () => {
    const stranger = createCountersignClient({ url: server.url, token: API_TOKEN });
    const failure = await stranger.api.servers.list.query().then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!(failure instanceof TRPCClientError)) throw new Error(`expected a refusal, got ${String(failure)}`);
    expect(failure.data?.httpStatus).toBe(401);
    const meta = failure.meta as { response?: Response } | undefined;
    expect(meta?.response?.headers.get('x-request-id')).toMatch(/^[0-9a-f]{24}$/);
    await stranger.close();
    expect(captured.text()).not.toContain(API_TOKEN);
  });

  test('calls over the WebSocket carry the socket’s id and their own number', async () => {
    const ulf = await signIn(server.url, 'ulf@countersign.dev');
    const client = createCountersignClient({
      url: server.url,
      headers: { cookie: ulf.cookie, origin: server.url },
      allOverWebSocket: true,
    });
    await client.api.servers.connect.mutate({ serverId });
    const ulfId = await userIdOf(ulf);
    const connected = captured.lines.find((line) => line.msg === 'mcp connected' && line.userId === ulfId);
    expect(connected?.requestId).toMatch(/^[0-9a-f-]{36}\.\d+$/);
    await client.close();
  });

  test('a call over the WebSocket that fails unexpectedly is quoted by its own id, the one its log line has', async () => {
    const client = createCountersignClient({
      url: server.url,
      headers: { cookie: uma.cookie, origin: server.url },
      allOverWebSocket: true,
    });
    server.db.sqlite.run('DROP INDEX chats_owner_updated');
    server.db.sqlite.run('ALTER TABLE chats RENAME TO chats_moved');
    const failure = await client.api.chats.list.query({}).then(
      () => undefined,
      (error: unknown) => error,
    );
    server.db.sqlite.run('ALTER TABLE chats_moved RENAME TO chats');
    server.db.sqlite.run('CREATE INDEX chats_owner_updated ON chats (owner_id, updated_at)');
    await client.close();
    if (!(failure instanceof TRPCClientError)) throw new Error(`expected a failure, got ${String(failure)}`);
    const errorId = (failure.data as { errorId?: string }).errorId;
    expect(errorId).toMatch(/^[0-9a-f-]{36}\.\d+$/);
    expect(failure.message).toBe(`Something went wrong on the server. Quote error id ${errorId} when reporting it.`);
    const logged = captured.lines.find((line) => line.msg === 'procedure failed' && line.path === 'chats.list');
    expect(logged).toMatchObject({ errorId, requestId: errorId });
  });

  test('a catalogue secret an MCP server echoes into its log messages never reaches the log', async () => {
    const handler = server.mcpHandlers.forUser(await userIdOf(uma));
    await handler.callTool('indexer__log', {
      messages: [{ level: 'error', data: `request refused: X-Api-Key: ${CATALOGUE_SECRET} has expired` }],
    });
    const line = await eventually(
      () => captured.lines.find((entry) => entry.msg === 'mcp server log' && entry.serverId === serverId),
      'the server’s message in the log',
    );
    expect(line.data).toBe('request refused: X-Api-Key: [redacted]');
    expect(captured.text()).not.toContain(CATALOGUE_SECRET);
  });

  test('the agent’s work after the answer keeps the id of the request that started it', async () => {
    model.script({ kind: 'error', status: 400, message: 'the fixture refuses this one' });
    const chat = await uma.client.api.chats.create.mutate({});
    const answer = await fetch(`${server.url}/trpc/chats.send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: uma.cookie, origin: server.url, 'x-request-id': 'send-2b' },
      body: JSON.stringify({ chatId: chat.id, text: 'Hello' }),
    });
    expect(await answer.json()).toEqual({ result: { data: { accepted: true } } });
    const answeredAt = captured.lines.length;
    const userId = await userIdOf(uma);
    const failed = await eventually(
      () => captured.lines.find((line) => line.msg === 'chat run failed' && line.userId === userId),
      'the run’s failure in the log',
    );
    expect(captured.lines.indexOf(failed)).toBeGreaterThanOrEqual(answeredAt);
    expect(failed.requestId).toBe('send-2b');
  });
});
