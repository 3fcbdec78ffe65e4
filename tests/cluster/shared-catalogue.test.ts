/**
 * What instances share through PostgreSQL and the control channel, seen from the MCP layer: two
 * MCP layers (catalogue and handlers, as each instance runs them) over one PostgreSQL schema, each
 * with its own connection pool, on one control channel. The channel is the in-process one, which
 * delivers to every subscriber as Redis pub/sub does to every instance; the Redis channel's own
 * tests show it reaches every instance. An instance's subscription may drop and come back
 * (InterruptedControlChannel).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { openDatabase } from '../../db/database.ts';
import { type ControlChannel, LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { createLogger } from '../../server/log.ts';
import { EVERYTHING_SERVER_ID, INTERNAL_SERVER_ID, seedCatalogue } from '../../server/mcp/catalogue-seed.ts';
import { McpUserTokens } from '../../server/mcp-server/user-token.ts';
import type { ToolsChangedEvent } from '../../server/mcp/types.ts';
import { type MutableServer, startMutableServer, tool } from '../mcp/fixtures/mutable-server.ts';
import { createUser, type McpKit, mcpKit } from '../mcp/support.ts';
import { eventually } from '../support/eventually.ts';
import { InterruptedControlChannel } from '../support/interrupted-control-channel.ts';
import { createTestSchema, type TestSchema } from '../support/services.ts';

let schema: TestSchema;
let server: MutableServer;
const control = new LocalControlChannel();
const kits: McpKit[] = [];

/** One instance's MCP layer: its own pool on the shared schema, on the shared control channel. */
async function instance(channel: ControlChannel = control): Promise<McpKit> {
  const kit = mcpKit({}, await openDatabase({ url: schema.url, schema: schema.schema }), channel);
  kits.push(kit);
  return kit;
}

/** Every tools-changed event an instance's handlers emit. */
function heard(kit: McpKit): ToolsChangedEvent[] {
  const events: ToolsChangedEvent[] = [];
  kit.manager.toolsChanged.add((event) => {
    events.push(event);
  });
  return events;
}

beforeAll(async () => {
  schema = await createTestSchema();
  server = startMutableServer([tool('alpha'), tool('beta')]);
});
afterAll(async () => {
  for (const kit of kits) await kit[Symbol.asyncDispose]();
  await server.stop();
  await schema.drop();
});

describe('two instances over one database', () => {
  test('instances starting together on an empty catalogue seed it once, pointing the built-in server at the public address', async () => {
    const fresh = await createTestSchema();
    const open = () => openDatabase({ url: fresh.url, schema: fresh.schema });
    const [a, b] = [mcpKit({}, await open()), mcpKit({}, await open())];
    try {
      const log = createLogger('error');
      await Promise.all([a, b].map((kit) => seedCatalogue(kit.catalogue, 'https://countersign.example', log)));
      const entries = await b.catalogue.list();
      expect(entries.map((e) => e.id).sort()).toEqual([EVERYTHING_SERVER_ID, INTERNAL_SERVER_ID].sort());
      expect(entries.find((e) => e.id === INTERNAL_SERVER_ID)?.url).toBe('https://countersign.example/mcp');
    } finally {
      await Promise.all([a[Symbol.asyncDispose](), b[Symbol.asyncDispose]()]);
      await fresh.drop();
    }
  });

  test('a held definition outlives a restart, and an approval through one instance clears it for the other', async () => {
    const a = await instance();
    const b = await instance();
    const { id: serverId } = await a.catalogue.create({ name: 'Mutable', transport: 'streamable-http', url: server.url });
    const pat = await createUser(a.db, 'pat');
    await a.manager.connect(pat, serverId);
    await server.setTools([tool('alpha', 'now also reads ~/.ssh'), tool('beta')]);
    await eventually(
      async () => (await a.manager.forUser(pat).listTools()).tools.find((t) => t.name === 'alpha')?.held === 'changed',
      'alpha to be held back on A',
    );
    const onB = await b.catalogue.heldTools(serverId);
    expect(onB.map((t) => [t.name, t.description])).toEqual([['alpha', 'now also reads ~/.ssh']]);

    // A restarts: a new MCP layer over the same database still shows what is held.
    await a[Symbol.asyncDispose]();
    const restarted = await instance();
    const held = await restarted.catalogue.heldTools(serverId);
    expect(held.map((t) => t.name)).toEqual(['alpha']);

    // Pat's live handler on B hears of the approval made through the restarted A.
    const handlerOnB = b.manager.forUser(pat);
    expect((await handlerOnB.listTools()).tools.find((t) => t.name === 'alpha')?.held).toBe('changed');
    const events = heard(b);
    await restarted.catalogue.approveToolDefinition(serverId, 'alpha', held[0]!.definitionHash);
    expect(await b.catalogue.heldTools(serverId)).toEqual([]);
    await eventually(() => events.some((e) => e.userId === pat && e.serverId === serverId), "B's handler to hear of the approval");
    expect((await handlerOnB.callTool('mutable__alpha', {})).ok).toBe(true);
  });

  test('a token the built-in MCP server gets from one instance is good on another, and only there', async () => {
    const [a, b] = [await instance(), await instance()];
    const uma = await createUser(a.db, 'uma');
    const { token } = await a.manager.userTokens.sign(uma);
    expect(await b.manager.userTokens.verify(token)).toBe(uma);
    expect(await b.manager.userTokens.verify((await new McpUserTokens().sign(uma)).token)).toBeUndefined();
  });

  test("a person's connects and an admin's changes made through one instance reach their live handler on the other", async () => {
    const [a, b] = [await instance(), await instance()];
    const { id: serverId } = await a.catalogue.create({ name: 'Shared', transport: 'streamable-http', url: server.url });
    const ulf = await createUser(a.db, 'ulf');
    const onB = b.manager.forUser(ulf);
    expect(await onB.serverIds()).toEqual([]);

    await a.manager.connect(ulf, serverId);
    await eventually(() => onB.hasServer(serverId), 'the connect through A to reach B');
    expect((await onB.listTools()).tools.map((t) => t.name)).toContain('beta');

    await a.manager.disconnect(ulf, serverId);
    await eventually(() => !onB.hasServer(serverId), 'the disconnect through A to reach B');

    await a.manager.connect(ulf, serverId);
    await eventually(() => onB.hasServer(serverId), 'the second connect through A to reach B');
    await a.catalogue.setEnabled(serverId, false);
    await eventually(() => !onB.hasServer(serverId), 'disabling through A to reach B');
    expect(await onB.listTools()).toEqual({ tools: [], servers: [] });
  });

  test("what changed through one instance while the other's subscription was down reaches its live handlers once it is back, reconnecting nothing else", async () => {
    const channelOfB = new InterruptedControlChannel(control);
    const [a, b] = [await instance(), await instance(channelOfB)];
    const steadyServer = startMutableServer([tool('gamma')]);
    try {
      const create = (name: string, url: string) => a.catalogue.create({ name, transport: 'streamable-http', url });
      const [disabled, joined, steady] = [
        await create('Disabled', server.url),
        await create('Joined', server.url),
        await create('Steady', steadyServer.url),
      ];
      const vera = await createUser(a.db, 'vera');
      await b.manager.connect(vera, disabled.id);
      await b.manager.connect(vera, steady.id);
      const onB = b.manager.forUser(vera);
      // Steady's tool changes; B holds it back until an admin approves the new definition.
      await steadyServer.setTools([tool('gamma', 'now also sends mail')]);
      await eventually(
        async () => (await onB.listTools()).tools.find((t) => t.name === 'gamma')?.held === 'changed',
        'gamma to be held back on B',
      );
      const sessionsOpened = () => steadyServer.headers.filter((headers) => !headers.has('mcp-session-id')).length;
      const steadySessions = sessionsOpened();

      // B's subscription is down: an admin disables one server and approves gamma, Vera connects another, all through A.
      channelOfB.drop();
      await a.catalogue.setEnabled(disabled.id, false);
      const [held] = await a.catalogue.heldTools(steady.id);
      await a.catalogue.approveToolDefinition(steady.id, 'gamma', held!.definitionHash);
      await a.manager.connect(vera, joined.id);
      const events = heard(b);

      await channelOfB.resubscribe();

      expect(onB.hasServer(disabled.id)).toBe(false);
      expect(onB.hasServer(joined.id)).toBe(true);
      // Steady is listed again, so the approval reaches the model; its connection stays as it was.
      expect(events).toContainEqual({ userId: vera, serverId: steady.id });
      expect((await onB.callTool('steady__gamma', {})).ok).toBe(true);
      expect(sessionsOpened()).toBe(steadySessions);
    } finally {
      await steadyServer.stop();
    }
  });
});
