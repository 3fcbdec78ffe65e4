/**
 * `<slug>__read_resource`, the tool Countersign adds for each connected server that declares
 * resources: listed read-only and never held, run without asking unless an admin says otherwise,
 * and read through the calling person's own connection. A whole Countersign server on port 0 with
 * the built-in server (in process, each read in the caller's name) and server-everything over stdio.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { cataloguePolicy } from '../../server/agent/policy.ts';
import { EVERYTHING_SERVER_ID, INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import type { ResourceRead } from '../../server/mcp/resource-read.ts';
import { readForModel, resourceTool } from '../../server/mcp/resource-tool.ts';
import { startTestServer } from '../support/test-server.ts';
import { startMutableServer, tool } from './fixtures/mutable-server.ts';
import { createUser } from './support.ts';

const server = await startTestServer();
const mutable = startMutableServer([tool('alpha')]);
afterAll(async () => {
  await server[Symbol.asyncDispose]();
  await mutable.stop();
});

async function personConnectedTo(name: string, ...serverIds: string[]) {
  const mcp = server.mcpHandlers.forUser(await createUser(server.db, name));
  for (const serverId of serverIds) expect(await mcp.connect(serverId)).toMatchObject({ status: 'connected' });
  return mcp;
}

describe('listing', () => {
  test('each server that declares resources gets one: read-only, idempotent, never held', async () => {
    const ada = await personConnectedTo('ada-tool', INTERNAL_SERVER_ID, EVERYTHING_SERVER_ID);
    const { tools } = await ada.listTools();
    const readers = tools.filter((t) => t.name === 'read_resource');

    expect(readers.map((t) => [t.uniqueName, t.serverId])).toEqual([
      ['countersign__read_resource', INTERNAL_SERVER_ID],
      ['everything__read_resource', EVERYTHING_SERVER_ID],
    ]);
    for (const reader of readers) {
      expect(reader).toMatchObject({
        synthetic: true,
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        inputSchema: { required: ['uri'] },
      });
      expect(reader.held).toBeUndefined();
    }
    // Pinning saw the server's own tools only: an admin has nothing of ours to review.
    expect(Object.keys((await server.catalogue.get(EVERYTHING_SERVER_ID))!.pinnedTools)).not.toContain('read_resource');
  });

  test('on an untrusted server it runs without asking, unless an admin set a policy for read_resource or denies by default', async () => {
    const bea = await personConnectedTo('bea-tool', EVERYTHING_SERVER_ID);
    const reader = (await bea.listTools()).tools.find((t) => t.uniqueName === 'everything__read_resource')!;
    const entry = (await server.catalogue.get(EVERYTHING_SERVER_ID))!;
    expect(entry).toMatchObject({ trusted: false, defaultPolicy: 'ask' });
    // The server's own read-only tools on the same untrusted server are still asked about.
    const echo = (await bea.listTools()).tools.find((t) => t.name === 'echo')!;
    expect(cataloguePolicy(echo, entry).policy).toBe('ask');

    expect(cataloguePolicy(reader, entry)).toEqual({ policy: 'auto', reason: 'reads a resource through your own connection' });
    expect(cataloguePolicy(reader, { ...entry, toolPolicies: { read_resource: 'ask' } }).policy).toBe('ask');
    expect(cataloguePolicy(reader, { ...entry, toolPolicies: { read_resource: 'deny' } }).policy).toBe('deny');
    expect(cataloguePolicy(reader, { ...entry, defaultPolicy: 'deny' }).policy).toBe('deny');
  });

  test('a server that does not declare resources gets none', async () => {
    const { id } = await server.catalogue.create({ name: 'Mutable', transport: 'streamable-http', url: mutable.url });
    const cal = await personConnectedTo('cal-tool', id);
    expect((await cal.listTools()).tools.map((t) => t.uniqueName)).toEqual(['mutable__alpha']);
  });

  test('a server with its own read_resource keeps it, and gets none of ours', () => {
    const own = { ...resourceTool({ id: 's', name: 'Files' }, [])!, synthetic: undefined, description: 'its own' };
    expect(resourceTool({ id: 's', name: 'Files' }, [own])).toBeUndefined();
  });
});

describe('reading', () => {
  test('a resource link from a tool result reads back as text; an unknown URI is the server’s error', async () => {
    const dan = await personConnectedTo('dan-tool', EVERYTHING_SERVER_ID);
    const links = await dan.callTool('everything__get-resource-links', { count: 2 });
    if (!links.ok) throw new Error(links.message);
    expect(links.text).toContain('[resource demo://resource/dynamic/text/2]');

    const text = await dan.callTool('everything__read_resource', { uri: 'demo://resource/dynamic/text/2' });
    expect(text).toMatchObject({ ok: true, text: expect.stringMatching(/^Resource 2: This is a plaintext resource/) });
    // A text blob is read as its text.
    const blob = await dan.callTool('everything__read_resource', { uri: 'demo://resource/dynamic/blob/1' });
    expect(blob).toMatchObject({ ok: true, text: expect.stringMatching(/^Resource 1: This is a base64 blob/) });

    expect(await dan.callTool('everything__read_resource', { uri: 'demo://nothing/here' })).toMatchObject({
      ok: false,
      kind: 'protocol',
      message: expect.stringMatching(/^Everything answered with an error: .*demo:\/\/nothing\/here/),
    });
  });

  test('arguments that are not a URI are refused with the reason, and the server is not asked', async () => {
    const asked: string[] = [];
    const connection = {
      readResource: async (uri: string): Promise<ResourceRead> => {
        asked.push(uri);
        return { ok: true, contents: [] };
      },
    };
    for (const args of [{}, { uri: '' }, { uri: 42 }, { uri: 'x'.repeat(2049) }]) {
      expect(await readForModel(connection, args)).toEqual({
        ok: false,
        kind: 'tool-error',
        message: 'the argument uri must be the URI of a resource, as a string of 1 to 2048 characters',
      });
    }
    expect(asked).toEqual([]);
  });

  test('images come back as image content, other binary data is named, several pieces are labelled by URI', async () => {
    const contents = [
      { uri: 'files://a.txt', mimeType: 'text/plain', text: 'hello' },
      { uri: 'files://b.png', mimeType: 'image/png', blob: 'iVBORw0KGgo=' },
      { uri: 'files://c.zip', mimeType: 'application/zip', blob: 'UEsDBA==' },
    ];
    const result = await readForModel({ readResource: async () => ({ ok: true, contents }) }, { uri: 'files://' });
    expect(result).toEqual({
      ok: true,
      content: [
        { type: 'text', text: 'hello' },
        { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
        { type: 'text', text: '(files://c.zip is application/zip: only text, images and audio can be read)' },
      ],
      text: [
        'files://a.txt:\nhello',
        'files://b.png:\n[image image/png]',
        'files://c.zip:\n(files://c.zip is application/zip: only text, images and audio can be read)',
      ].join('\n\n'),
    });
  });

  test('through the caller’s own connection: another person reading the same note gets not found', async () => {
    const eve = await personConnectedTo('eve-tool', INTERNAL_SERVER_ID);
    const fay = await personConnectedTo('fay-tool', INTERNAL_SERVER_ID);
    const created = await eve.callTool('countersign__notes_create', { title: 'Plan', body: 'plant beans' });
    if (!created.ok) throw new Error(created.message);
    const uri = `countersign://notes/${(created.structuredContent!.note as { id: string }).id}`;

    expect(await eve.callTool('countersign__read_resource', { uri })).toMatchObject({ ok: true, text: '# Plan\n\nplant beans' });
    expect(await fay.callTool('countersign__read_resource', { uri })).toEqual({
      ok: false,
      kind: 'tool-error',
      message: `Countersign has no resource ${uri}`,
    });
  });

  test('a person who has not connected the server has no such tool, and nobody else’s connection is used', async () => {
    await personConnectedTo('gus-tool', EVERYTHING_SERVER_ID);
    const hal = await personConnectedTo('hal-tool');
    expect(await hal.callTool('everything__read_resource', { uri: 'demo://resource/dynamic/text/2' })).toEqual({
      ok: false,
      kind: 'unknown-tool',
      message: 'no connected MCP server offers a tool named everything__read_resource',
    });
    expect(hal.hasServer(EVERYTHING_SERVER_ID)).toBe(false);
  });
});
