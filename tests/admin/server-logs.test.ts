/**
 * What MCP servers log, through the admin API: a server's log level is set and changed like its
 * other settings, and its recent messages are read newest first with the person whose connection
 * received each, by admins only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { AdminRequestError } from '../../admin/src/api/client.ts';
import { CreateServer, ServerLogs, ServerQuery, UpdateServer, UsersQuery } from '../../admin/src/api/operations.ts';
import { type LegacyLoggingServer, startLegacyLoggingServer } from '../mcp/fixtures/logging-servers.ts';
import { eventually } from '../support/eventually.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, codes, postGraphQL, signInAdmin } from './support.ts';

let server: TestServer;
let logger: LegacyLoggingServer;
let ada: Admin;
let uma: Person;
let umaId: string;

beforeAll(async () => {
  server = await startTestServer();
  logger = startLegacyLoggingServer();
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
  umaId = (await ada.admin(UsersQuery, { search: 'uma' })).users.items[0]!.id;
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
  await logger.stop();
});

/** The error a typed call failed with. */
async function failure(call: Promise<unknown>): Promise<AdminRequestError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AdminRequestError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('server logs in the admin API', () => {
  test('the log level is set on create, changed by an update, and WARNING unless given', async () => {
    const { createServer } = await ada.admin(CreateServer, {
      input: { name: 'Levelled', transport: 'STREAMABLE_HTTP', url: logger.url, logLevel: 'INFO' },
    });
    expect(createServer.logLevel).toBe('INFO');
    const { updateServer } = await ada.admin(UpdateServer, { id: createServer.id, input: { logLevel: 'DEBUG' } });
    expect(updateServer.logLevel).toBe('DEBUG');
    expect((await ada.admin(ServerQuery, { id: createServer.id })).server?.logLevel).toBe('DEBUG');

    const plain = await ada.admin(CreateServer, { input: { name: 'Plain', transport: 'STREAMABLE_HTTP', url: logger.url } });
    expect(plain.createServer.logLevel).toBe('WARNING');
  });

  test('admins read the newest messages first, with whose connection received them; nobody else can', async () => {
    const { createServer } = await ada.admin(CreateServer, {
      input: { name: 'Talker', transport: 'STREAMABLE_HTTP', url: logger.url, logLevel: 'INFO' },
    });
    const id = createServer.id;
    await server.mcpHandlers.connect(umaId, id);
    const call = await server.mcpHandlers.forUser(umaId).callTool('talker__log', {
      messages: [
        { level: 'info', data: 'first' },
        { level: 'error', data: { code: 7 }, logger: 'db' },
      ],
    });
    expect(call).toMatchObject({ ok: true });

    const entries = await eventually(async () => {
      const logs = (await ada.admin(ServerLogs, { id })).server?.recentLogs ?? [];
      return logs.length === 2 && logs;
    }, 'both messages in the API');
    const byUma = expect.objectContaining({ id: umaId, email: 'uma@countersign.dev' });
    expect(entries).toEqual([
      { at: expect.any(String), level: 'ERROR', logger: 'db', data: '{"code":7}', user: byUma },
      { at: expect.any(String), level: 'INFO', logger: null, data: 'first', user: byUma },
    ]);
    expect((await ada.admin(ServerLogs, { id, limit: 1 })).server?.recentLogs.map((e) => e.data)).toEqual(['{"code":7}']);
    for (const limit of [0, 201]) {
      const refused = await failure(ada.admin(ServerLogs, { id, limit }));
      expect(refused.errors[0]?.message).toBe('limit: must be between 1 and 200');
    }

    const query = 'query ($id: ID!) { server(id: $id) { recentLogs { data } } }';
    const asUma = await postGraphQL(server.url, query, { headers: { cookie: uma.cookie }, variables: { id } });
    expect(codes(asUma)).toEqual(['FORBIDDEN']);
    expect(asUma.text).not.toContain('first');
  });
});
