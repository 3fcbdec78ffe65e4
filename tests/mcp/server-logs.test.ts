/**
 * MCP servers' log messages: each server is asked for its catalogue entry's level (logging/setLevel
 * in the 2025 era, `_meta` on every request in the 2026 era), and what it sends becomes a line in
 * Countersign's log and an entry kept for admins, the newest 200 per server, at most 20 a second.
 * Against real servers: SDK 1.32 and 2.x servers of our own, and server-everything over stdio.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { LOG_LEVEL_META_KEY } from '@modelcontextprotocol/client';
import { asc, eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { AdminServerLogStore } from '../../server/admin/stores/server-logs.ts';
import { createLogger } from '../../server/log.ts';
import type { CatalogueInput } from '../../server/mcp/catalogue.ts';
import type { ServerLogMessage } from '../../server/mcp/server-log.ts';
import { ServerLogStore } from '../../server/mcp/server-log-store.ts';
import { backends } from '../db/backends.ts';
import { eventually } from '../support/eventually.ts';
import { InterruptedControlChannel } from '../support/interrupted-control-channel.ts';
import { type LogArguments, startLegacyLoggingServer, startModernLoggingServer } from './fixtures/logging-servers.ts';
import { createUser, everythingScript, killChildren, type LogLine, mcpKit, recordingLogger } from './support.ts';

const logged: LogLine[] = [];
const kit = mcpKit({ log: recordingLogger(logged) });
const legacy = startLegacyLoggingServer();
const modern = startModernLoggingServer();
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
  await legacy.stop();
  await modern.stop();
  killChildren();
});

/** Everything kept for the server, oldest first. */
function kept(db: AppDatabase, serverId: string) {
  const logs = db.tables.mcpServerLogs;
  return db.drizzle.select().from(logs).where(eq(logs.serverId, serverId)).orderBy(asc(logs.id));
}

/** What is kept for the server once there are `count` entries (messages arrive in their own time). */
async function keptOnce(serverId: string, count: number) {
  await eventually(async () => (await kept(kit.db, serverId)).length >= count, `${count} kept messages`);
  return kept(kit.db, serverId);
}

/** A server in the catalogue and a person connected to it. */
async function connected(entry: CatalogueInput) {
  const { id: serverId } = await kit.catalogue.create(entry);
  const userId = await createUser(kit.db, `user-${serverId.slice(0, 8)}`);
  const handler = kit.manager.forUser(userId);
  expect(await handler.connect(serverId)).toMatchObject({ status: 'connected' });
  return { serverId, userId, handler };
}

const LONG = 'x'.repeat(5000);
const logArguments = (messages: LogArguments['messages'], ignoreLevel = false): Record<string, unknown> => ({ messages, ignoreLevel });

describe('a 2025-era server (SDK 1.32)', () => {
  test('is asked for the entry’s level; what it sends is logged at the matching level and kept for admins', async () => {
    const { serverId, userId, handler } = await connected({
      name: 'Legacy logger',
      transport: 'streamable-http',
      url: legacy.url,
      logLevel: 'info',
    });
    expect(legacy.requests.filter((r) => r.method === 'logging/setLevel').map((r) => r.params)).toEqual([{ level: 'info' }]);

    const call = await handler.callTool(
      'legacy-logger__log',
      logArguments([
        { level: 'debug', data: 'too chatty' },
        { level: 'notice', data: 'indexing started', logger: 'indexer' },
        { level: 'critical', data: { disk: 'full', long: LONG } },
      ]),
    );
    expect(call).toMatchObject({ ok: true });
    const rows = await keptOnce(serverId, 2);
    // The server's own filter: the debug message never left it.
    expect(legacy.sent.map((m) => m.level)).toEqual(['notice', 'critical']);
    expect(rows.map(({ level, logger, userId: who }) => ({ level, logger, userId: who }))).toEqual([
      { level: 'notice', logger: 'indexer', userId },
      { level: 'critical', logger: null, userId },
    ]);
    expect(rows[0]!.data).toBe('indexing started');
    // Data that is not a string is kept as JSON, cut to 2,048 characters.
    expect(rows[1]!.data).toStartWith('{"disk":"full","long":"xxx');
    expect(rows[1]!.data).toHaveLength(2048);

    const lines = logged.filter((line) => line.msg === 'mcp server log' && line.serverId === serverId);
    expect(lines.map(({ level, mcpLevel, logger, userId: who }) => ({ level, mcpLevel, logger, userId: who }))).toEqual([
      { level: 'info', mcpLevel: 'notice', logger: 'indexer', userId },
      { level: 'error', mcpLevel: 'critical', logger: null, userId },
    ]);
    expect(lines[1]!.data).toBe(rows[1]!.data);
  });

  test('a message below the level is neither logged nor kept, even from a server that ignores the level', async () => {
    const { serverId, handler } = await connected({ name: 'Careless logger', transport: 'streamable-http', url: legacy.url });
    const before = legacy.sent.length;
    await handler.callTool(
      'careless-logger__log',
      logArguments(
        [
          { level: 'info', data: 'below warning' },
          { level: 'error', data: 'worth keeping' },
        ],
        true,
      ),
    );
    await keptOnce(serverId, 1);
    // Both went out: only the client's own check kept the info message out.
    await eventually(() => legacy.sent.length === before + 2, 'both messages to be sent');
    expect((await kept(kit.db, serverId)).map((row) => row.data)).toEqual(['worth keeping']);
    expect(logged.filter((line) => line.msg === 'mcp server log' && line.serverId === serverId).map((line) => line.data)).toEqual([
      'worth keeping',
    ]);
  });

  test('changing the level reopens the connection, which asks for the new level', async () => {
    const asked = () => legacy.requests.filter((r) => r.method === 'logging/setLevel').map((r) => r.params?.level);
    const before = asked().length;
    const { serverId, handler } = await connected({ name: 'Adjustable logger', transport: 'streamable-http', url: legacy.url });
    await handler.callTool('adjustable-logger__log', logArguments([{ level: 'debug', data: 'unheard' }]));

    await kit.catalogue.update(serverId, { logLevel: 'debug' });
    await handler.callTool('adjustable-logger__log', logArguments([{ level: 'debug', data: 'heard now' }]));
    expect(asked().slice(before)).toEqual(['warning', 'debug']);
    await eventually(async () => (await kept(kit.db, serverId)).some((row) => row.data === 'heard now'), 'the debug message');
    expect((await kept(kit.db, serverId)).map((row) => row.data)).toEqual(['heard now']);
  });

  test('a level changed while an instance was not listening reopens its connections once it hears again', async () => {
    // A second instance over the same database, whose control channel drops for a while.
    const channel = new InterruptedControlChannel(kit.control);
    const other = mcpKit({}, kit.db, channel);
    try {
      const { id: serverId } = await kit.catalogue.create({ name: 'Missed logger', transport: 'streamable-http', url: legacy.url });
      const userId = await createUser(kit.db, 'missed');
      await other.manager.connect(userId, serverId);
      const asked = () => legacy.requests.filter((r) => r.method === 'logging/setLevel').map((r) => r.params?.level);
      const before = asked().length;

      channel.drop();
      await kit.catalogue.update(serverId, { logLevel: 'error' });
      await channel.resubscribe();
      await other.manager.forUser(userId).callTool('missed-logger__log', logArguments([]));
      expect(asked().slice(before)).toEqual(['error']);
    } finally {
      // Not disposed: the database is the first instance's.
      await other.manager.closeAll();
    }
  });
});

describe('a 2026-07-28 server (2.x server package)', () => {
  test('every request names the level; what the server sends at or above it is kept', async () => {
    const { serverId, userId, handler } = await connected({
      name: 'Modern logger',
      transport: 'streamable-http',
      url: modern.url,
      logLevel: 'info',
    });
    const call = await handler.callTool(
      'modern-logger__log',
      logArguments([
        { level: 'debug', data: 'too chatty' },
        { level: 'warning', data: { retrying: true }, logger: 'sync' },
      ]),
    );
    expect(call).toMatchObject({ ok: true });
    const calls = modern.requests.filter((r) => r.method === 'tools/call');
    expect(calls.map((r) => (r.params?._meta as Record<string, unknown> | undefined)?.[LOG_LEVEL_META_KEY])).toEqual(['info']);
    expect(modern.requests.some((r) => r.method === 'logging/setLevel')).toBe(false);
    const rows = await keptOnce(serverId, 1);
    expect(rows).toEqual([expect.objectContaining({ level: 'warning', logger: 'sync', data: '{"retrying":true}', userId })]);
  });
});

describe('server-everything over stdio', () => {
  test('its simulated log messages reach the log and the store', async () => {
    const { serverId, handler } = await connected({
      name: 'Everything logs',
      transport: 'stdio',
      command: process.execPath,
      args: [everythingScript, 'stdio'],
      logLevel: 'debug',
    });
    // It sends one message at once, at a random level (debug lets every level through), then one every 5 s.
    expect(await handler.callTool('everything-logs__toggle-simulated-logging', {})).toMatchObject({ ok: true });
    const [first] = await keptOnce(serverId, 1);
    expect(first!.data).toMatch(/-level message|level-message/);
    expect(logged.some((line) => line.msg === 'mcp server log' && line.serverId === serverId && line.data === first!.data)).toBe(true);
    await handler.callTool('everything-logs__toggle-simulated-logging', {});
  });
});

for (const backend of backends) {
  describe(`the store on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
    });
    afterAll(() => dispose());

    async function serverAndUser(name: string) {
      const serverId = crypto.randomUUID();
      await db.drizzle
        .insert(db.tables.mcpServers)
        .values({ id: serverId, name, transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' });
      return { serverId, userId: await createUser(db, name) };
    }
    const message = (ids: { serverId: string; userId: string }, data: string): ServerLogMessage => ({
      ...ids,
      level: 'warning',
      logger: null,
      data,
    });

    test('keeps the newest 200 of each server, and forgets them with the server', async () => {
      const store = new ServerLogStore(db, createLogger('error'), { kept: 200, perSecond: 1000 });
      const busy = await serverAndUser('Busy');
      const quiet = await serverAndUser('Quiet');
      await store.record(message(quiet, 'only one'));
      for (let i = 0; i < 230; i++) await store.record(message(busy, `message ${i}`));
      const rows = await kept(db, busy.serverId);
      expect(rows).toHaveLength(200);
      expect(rows[0]!.data).toBe('message 30');
      expect(rows.at(-1)!.data).toBe('message 229');
      expect((await kept(db, quiet.serverId)).map((row) => row.data)).toEqual(['only one']);

      await db.drizzle.delete(db.tables.mcpServers).where(eq(db.tables.mcpServers.id, busy.serverId));
      expect(await kept(db, busy.serverId)).toEqual([]);
    });

    test('keeps 20 a second per server; the rest are counted in one entry, and said in the log', async () => {
      const lines: LogLine[] = [];
      const store = new ServerLogStore(db, recordingLogger(lines));
      const chatty = await serverAndUser('Chatty');
      const calm = await serverAndUser('Calm');
      await Promise.all([
        ...Array.from({ length: 50 }, (_, i) => store.record(message(chatty, `burst ${i}`))),
        store.record(message(calm, 'unaffected')),
      ]);
      const burst = (await kept(db, chatty.serverId)).map((row) => row.data);
      expect(burst.toSorted()).toEqual(Array.from({ length: 20 }, (_, i) => `burst ${i}`).toSorted());
      expect((await kept(db, calm.serverId)).map((row) => row.data)).toEqual(['unaffected']);

      const note = await eventually(
        () => kept(db, chatty.serverId).then((rows) => rows.find((row) => row.logger === 'countersign')),
        'the entry counting what was dropped',
      );
      expect(note).toMatchObject({ level: 'warning', userId: null });
      expect(note.data).toStartWith('30 more messages from this server in one second were not kept');
      expect(lines).toEqual([
        expect.objectContaining({ level: 'warn', msg: 'mcp server log messages dropped', serverId: chatty.serverId, dropped: 30 }),
      ]);
    });

    test('admins read the newest first, with the person; a deleted person’s entries stay, with nobody named', async () => {
      const store = new ServerLogStore(db, createLogger('error'));
      const ids = await serverAndUser('Read');
      for (const data of ['one', 'two', 'three']) await store.record(message(ids, data));
      const admin = new AdminServerLogStore(db);
      expect(await admin.recent(ids.serverId, 2)).toEqual([
        {
          at: expect.any(Date),
          level: 'warning',
          logger: null,
          data: 'three',
          user: { id: ids.userId, email: 'Read@example.test', name: 'Read' },
        },
        {
          at: expect.any(Date),
          level: 'warning',
          logger: null,
          data: 'two',
          user: { id: ids.userId, email: 'Read@example.test', name: 'Read' },
        },
      ]);
      await db.drizzle.delete(db.tables.users).where(eq(db.tables.users.id, ids.userId));
      expect((await admin.recent(ids.serverId, 3)).map((entry) => entry.user)).toEqual([null, null, null]);
    });
  });
}

describe('the catalogue', () => {
  test('asks for warnings and worse unless told otherwise, and refuses an unknown level by name', async () => {
    const entry = await kit.catalogue.create({ name: 'Defaults', transport: 'streamable-http', url: legacy.url });
    expect(entry.logLevel).toBe('warning');
    await expect(
      kit.catalogue.create({ name: 'Loud', transport: 'streamable-http', url: legacy.url, logLevel: 'loud' as 'debug' }),
    ).rejects.toThrow(/^logLevel: must be one of debug, info, notice, warning, error, critical, alert, emergency$/);
  });
});
