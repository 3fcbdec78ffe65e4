/**
 * What an admin may put in the catalogue when the operator narrows it: a stdio command outside
 * MCP_STDIO_COMMANDS, an env: secret outside MCP_SECRET_ENV, or, with MCP_BLOCK_PRIVATE_ADDRESSES,
 * a URL that reaches a loopback, private or link-local address is refused on create, update and
 * test, with a sentence naming the setting. The built-in server on this server's own origin stays.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { chmodSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminRequestError } from '../../admin/src/api/client.ts';
import { CreateServer, TestConnection, UpdateServer } from '../../admin/src/api/operations.ts';
import { type MutableServer, startMutableServer, tool } from '../mcp/fixtures/mutable-server.ts';
import { everythingScript } from '../mcp/support.ts';
import { startTestServer, tempDir, type TestServer } from '../support/test-server.ts';
import { type Admin, signInAdmin } from './support.ts';
import { INTERNAL } from '../faults/support.ts';

let server: TestServer;
let mcp: MutableServer;
let ada: Admin;

beforeAll(async () => {
  mcp = startMutableServer([tool('alpha')]);
  server = await startTestServer({
    MCP_STDIO_COMMANDS: process.execPath,
    MCP_SECRET_ENV: 'ADMIN_BOUNDARY_LISTED_*',
    MCP_BLOCK_PRIVATE_ADDRESSES: 'true',
  });
  ada = await signInAdmin(server.url);
});
afterAll(async () => {
  await ada?.client.close();
  await server?.[Symbol.asyncDispose]();
  await mcp?.stop();
});

/** The error a typed call failed with, for asserting code and message. */
async function failure(call: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AdminRequestError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the call succeeded');
}

const refused = (field: string, setting: string) => ({
  code: 'BAD_USER_INPUT',
  message: expect.stringMatching(new RegExp(`${field}: .*${setting}`)),
});

describe('MCP_STDIO_COMMANDS', () => {
  const shell = { name: 'Shell', transport: 'STDIO' as const, command: 'sh', args: ['-c', 'echo pwned'] };

  test('a command it does not list is refused on create and test', async () => {
    expect(await failure(ada.admin(CreateServer, { input: shell }))).toEqual(refused('command', 'MCP_STDIO_COMMANDS'));
    const { testConnection } = await ada.admin(TestConnection, { input: shell });
    expect(testConnection).toMatchObject({ ok: false, tools: [] });
    expect(testConnection.error).toContain('MCP_STDIO_COMMANDS');
  });

  test('the seeded server-everything stays when the list names the Bun that runs Countersign', async () => {
    const { testConnection } = await ada.admin(TestConnection, { serverId: 'mcp-everything' });
    expect(testConnection).toMatchObject({ ok: true, error: null });
    expect(testConnection.tools.map((t) => t.name)).toContain('echo');
  });

  test('a listed command is saved, and cannot be swapped for another on update', async () => {
    const { createServer } = await ada.admin(CreateServer, {
      input: { name: 'Everything listed', transport: 'STDIO', command: process.execPath, args: [everythingScript, 'stdio'] },
    });
    expect(createServer.command).toBe(process.execPath);
    expect(await failure(ada.admin(UpdateServer, { id: createServer.id, input: { command: 'sh' } }))).toEqual(
      refused('command', 'MCP_STDIO_COMMANDS'),
    );
  });

  test('a program named like a listed one but found first on the entry’s own PATH is refused', async () => {
    const dir = tempDir('countersign-fake-bin-');
    const impostor = join(dir, 'bun');
    writeFileSync(impostor, '#!/bin/sh\necho pwned\n');
    chmodSync(impostor, 0o755);
    try {
      const input = { name: 'Impostor', transport: 'STDIO' as const, command: 'bun', env: [{ name: 'PATH', value: dir }] };
      const answer = await failure(ada.admin(CreateServer, { input }));
      expect(answer).toEqual(refused('command', 'MCP_STDIO_COMMANDS'));
      expect(answer.message).toContain(realpathSync(impostor));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MCP_SECRET_ENV', () => {
  const withSecret = (name: string, reference: string) => ({
    name,
    transport: 'STREAMABLE_HTTP' as const,
    url: `${server.url}/mcp`,
    secretHeaders: [{ name: 'X-Api-Key', reference }],
  });

  test('an env: secret it does not list is refused on create and test', async () => {
    const input = withSecret('Cloud keys', 'env:AWS_SECRET_ACCESS_KEY');
    expect(await failure(ada.admin(CreateServer, { input }))).toEqual(refused('secretHeaders.X-Api-Key', 'MCP_SECRET_ENV'));
    const { testConnection } = await ada.admin(TestConnection, { input });
    expect(testConnection.ok).toBe(false);
    expect(testConnection.error).toContain('MCP_SECRET_ENV');
  });

  test('a name its prefix pattern lists is saved', async () => {
    const { createServer } = await ada.admin(CreateServer, { input: withSecret('Listed key', 'env:ADMIN_BOUNDARY_LISTED_VENDOR_KEY') });
    expect(createServer.secretHeaderNames).toEqual(['X-Api-Key']);
  });
});

describe('MCP_BLOCK_PRIVATE_ADDRESSES', () => {
  test('URLs that reach loopback, private, shared or link-local addresses are refused on create, whatever their spelling', async () => {
    const port = new URL(mcp.url).port;
    const urls = [
      `http://localhost:${port}/mcp`,
      `http://127.0.0.1:${port}/mcp`,
      `http://[::ffff:7f00:1]:${port}/mcp`,
      `http://0.0.0.0:${port}/mcp`,
      `http://2130706433:${port}/mcp`,
      'http://10.0.0.8/mcp',
      'http://172.20.0.1/mcp',
      'http://192.168.0.10/mcp',
      'http://100.64.1.1/mcp',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/mcp',
      'http://[fd00::1]/mcp',
    ];
    for (const [i, url] of urls.entries()) {
      const answer = await failure(ada.admin(CreateServer, { input: { name: `Private ${i}`, transport: 'STREAMABLE_HTTP', url } }));
      expect({ url, ...answer }).toEqual({ url, ...refused('url', 'MCP_BLOCK_PRIVATE_ADDRESSES') });
    }
  });

  test('testing such a URL is refused before anything is sent', async () => {
    const requestsBefore = mcp.headers.length;
    const url = `http://localhost:${new URL(mcp.url).port}/mcp`;
    const { testConnection } = await ada.admin(TestConnection, { input: { name: 'Loopback', transport: 'STREAMABLE_HTTP', url } });
    expect(testConnection).toMatchObject({ ok: false, tools: [] });
    expect(testConnection.error).toContain('MCP_BLOCK_PRIVATE_ADDRESSES');
    expect(mcp.headers.length).toBe(requestsBefore);
  });

  test('an entry on this server’s own origin cannot be moved to a private address on update', async () => {
    const { createServer } = await ada.admin(CreateServer, {
      input: { name: 'Own origin', transport: 'STREAMABLE_HTTP', url: `${server.url}/mcp` },
    });
    const answer = await failure(
      ada.admin(UpdateServer, { id: createServer.id, input: { url: 'http://169.254.169.254/latest/meta-data/' } }),
    );
    expect(answer).toEqual(refused('url', 'MCP_BLOCK_PRIVATE_ADDRESSES'));
  });

  test('the built-in server, on this server’s own loopback origin, is still tested and edited', async () => {
    const { testConnection } = await ada.admin(TestConnection, { serverId: INTERNAL });
    expect(testConnection).toMatchObject({ ok: true, error: null });
    expect(testConnection.tools.map((t) => t.name)).toContain('calculate');
    const { updateServer } = await ada.admin(UpdateServer, { id: INTERNAL, input: { description: 'Notes, time and sums.' } });
    expect(updateServer.description).toBe('Notes, time and sums.');
  });
});
