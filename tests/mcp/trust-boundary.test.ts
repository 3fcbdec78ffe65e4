/**
 * The operator's limits hold at connect time, not only when an admin saves: entries saved while
 * the settings were loose (the seeded server-everything among them) are refused once the server
 * restarts with MCP_STDIO_COMMANDS, MCP_SECRET_ENV and MCP_BLOCK_PRIVATE_ADDRESSES set, while
 * the built-in server on this server's own (loopback) origin keeps working.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { CreateServer } from '../../admin/src/api/operations.ts';
import type { ServerDto } from '../../shared/servers.ts';
import { signInAdmin } from '../admin/support.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type MutableServer, startMutableServer, tool } from './fixtures/mutable-server.ts';
import { INTERNAL } from '../faults/support.ts';

const EVERYTHING = 'mcp-everything';
const UNLISTED_SECRET = 'TRUST_BOUNDARY_TEST_UNLISTED_KEY';

let mcp: MutableServer;
let tightened: TestServer;
let uma: Person;
const ids: Record<'byName' | 'mapped' | 'secret', string> = { byName: '', mapped: '', secret: '' };

beforeAll(async () => {
  process.env[UNLISTED_SECRET] = 'not-for-this-server';
  mcp = startMutableServer([tool('alpha')]);
  const port = new URL(mcp.url).port;

  // Saved while nothing was limited (the defaults), and seeded with server-everything over stdio.
  const loose = await startTestServer();
  const ada = await signInAdmin(loose.url);
  const create = async (name: string, url: string, secretHeaders: { name: string; reference: string }[] = []) =>
    (await ada.admin(CreateServer, { input: { name, transport: 'STREAMABLE_HTTP', url, secretHeaders } })).createServer.id;
  // Names and spellings a check of the URL text alone would let through.
  ids.byName = await create('Loopback by name', `http://localhost:${port}/mcp`);
  ids.mapped = await create('Loopback mapped', `http://[::ffff:7f00:1]:${port}/mcp`);
  ids.secret = await create('Vendor', mcp.url, [{ name: 'X-Api-Key', reference: `env:${UNLISTED_SECRET}` }]);
  await ada.client.close();

  tightened = await loose.restart({
    MCP_STDIO_COMMANDS: '/bin/true',
    MCP_SECRET_ENV: 'TRUST_BOUNDARY_TEST_LISTED_*',
    MCP_BLOCK_PRIVATE_ADDRESSES: 'true',
  });
  uma = await signIn(tightened.url, 'uma@countersign.dev');
}, 60_000);
afterAll(async () => {
  delete process.env[UNLISTED_SECRET];
  await uma?.client.close();
  await tightened?.[Symbol.asyncDispose]();
  await mcp?.stop();
});

const connect = (serverId: string): Promise<ServerDto> => uma.client.api.servers.connect.mutate({ serverId });

test('the seeded server-everything is refused once MCP_STDIO_COMMANDS leaves Bun out', async () => {
  const everything = await connect(EVERYTHING);
  expect(everything).toMatchObject({ connection: 'unavailable', tools: [] });
  expect(everything.error).toContain('MCP_STDIO_COMMANDS');
});

test('a saved env: secret that MCP_SECRET_ENV does not list is never read or sent', async () => {
  const requestsBefore = mcp.headers.length;
  const vendor = await connect(ids.secret);
  expect(vendor).toMatchObject({ connection: 'unavailable', tools: [] });
  expect(vendor.error).toContain(`env:${UNLISTED_SECRET}`);
  expect(vendor.error).toContain('MCP_SECRET_ENV');
  expect(mcp.headers.length).toBe(requestsBefore);
});

test('a saved URL whose host name resolves to loopback is refused when connecting', async () => {
  const requestsBefore = mcp.headers.length;
  const byName = await connect(ids.byName);
  expect(byName).toMatchObject({ connection: 'unavailable', tools: [] });
  expect(byName.error).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  expect(byName.error).toContain('MCP_BLOCK_PRIVATE_ADDRESSES');
  expect(mcp.headers.length).toBe(requestsBefore);
});

test('a loopback address written as IPv4-mapped IPv6 is refused too', async () => {
  const mapped = await connect(ids.mapped);
  expect(mapped).toMatchObject({ connection: 'unavailable', tools: [] });
  expect(mapped.error).toContain('a loopback address');
  expect(mapped.error).toContain('MCP_BLOCK_PRIVATE_ADDRESSES');
});

test('a fresh install leaves server-everything out when MCP_STDIO_COMMANDS does not list Bun', async () => {
  await using fresh = await startTestServer({ MCP_STDIO_COMMANDS: '/bin/true' });
  const ulf = await signIn(fresh.url, 'ulf@countersign.dev');
  try {
    expect((await ulf.client.api.servers.list.query()).map((s) => s.id)).toEqual([INTERNAL]);
  } finally {
    await ulf.client.close();
  }
});

test('the built-in server, on this server’s own loopback origin, still works with the switch on', async () => {
  const internal = await connect(INTERNAL);
  expect(internal).toMatchObject({ connection: 'connected', error: null });
  expect(internal.tools.map((t) => t.name)).toContain('calculate');
});
