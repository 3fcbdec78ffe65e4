/**
 * `MCPHandler.readResource`: a resource read through the person's own connection, its outcome a
 * value. The built-in server (in process, one client for everyone, each read in the caller's
 * name) and the seeded server-everything over stdio, a whole Countersign server on port 0.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { EVERYTHING_SERVER_ID, INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { startTestServer } from '../support/test-server.ts';
import { createUser } from './support.ts';

const server = await startTestServer();
afterAll(() => server[Symbol.asyncDispose]());

async function personConnectedTo(name: string, serverId: string) {
  const mcp = server.mcpHandlers.forUser(await createUser(server.db, name));
  expect(await mcp.connect(serverId)).toMatchObject({ status: 'connected' });
  return mcp;
}

describe('the built-in server', () => {
  test('a note made with notes_create reads back as Markdown; another person reads it as not found', async () => {
    const ada = await personConnectedTo('ada-read', INTERNAL_SERVER_ID);
    const bob = await personConnectedTo('bob-read', INTERNAL_SERVER_ID);
    const created = await ada.callTool('countersign__notes_create', { title: 'Plan', body: 'plant beans' });
    if (!created.ok) throw new Error(created.message);
    const uri = `countersign://notes/${(created.structuredContent!.note as { id: string }).id}`;

    expect(await ada.readResource(INTERNAL_SERVER_ID, uri)).toEqual({
      ok: true,
      contents: [{ uri, mimeType: 'text/markdown', text: '# Plan\n\nplant beans' }],
    });
    // The same shared client, right after Ada's read of the same URI: Bob is named as the caller, and has no such note.
    expect(await bob.readResource(INTERNAL_SERVER_ID, uri)).toEqual({
      ok: false,
      kind: 'not-found',
      message: `Countersign has no resource ${uri}`,
    });
  });

  test('a server the person has not connected is not asked', async () => {
    const cleo = server.mcpHandlers.forUser(await createUser(server.db, 'cleo-read'));
    expect(await cleo.readResource(INTERNAL_SERVER_ID, 'countersign://notes/x')).toEqual({
      ok: false,
      kind: 'not-connected',
      message: 'You have not connected Countersign.',
    });
    expect(cleo.hasServer(INTERNAL_SERVER_ID)).toBe(false);
  });
});

describe('server-everything over stdio', () => {
  test('its resource links read back: text, and a blob as base64; an unknown URI is the server’s error, as a value', async () => {
    const dan = await personConnectedTo('dan-read', EVERYTHING_SERVER_ID);
    const links = await dan.callTool('everything__get-resource-links', { count: 2 });
    if (!links.ok) throw new Error(links.message);
    const uris = links.content!.filter((block) => block.type === 'resource_link').map((block) => block.uri as string);
    expect(uris).toEqual(['demo://resource/dynamic/blob/1', 'demo://resource/dynamic/text/2']);

    const text = await dan.readResource(EVERYTHING_SERVER_ID, uris[1]!);
    expect(text).toEqual({
      ok: true,
      contents: [{ uri: uris[1]!, mimeType: 'text/plain', text: expect.stringMatching(/^Resource 2: This is a plaintext resource/) }],
    });
    const blob = await dan.readResource(EVERYTHING_SERVER_ID, uris[0]!);
    if (!blob.ok) throw new Error(blob.message);
    expect(blob.contents).toEqual([{ uri: uris[0]!, mimeType: 'text/plain', blob: expect.any(String) }]);
    expect(Buffer.from(blob.contents[0]!.blob!, 'base64').toString()).toStartWith('Resource 1: This is a base64 blob');

    expect(await dan.readResource(EVERYTHING_SERVER_ID, 'demo://nothing/here')).toMatchObject({
      ok: false,
      kind: 'protocol',
      message: expect.stringMatching(/^Everything answered with an error: .*demo:\/\/nothing\/here/),
    });
    // The connection survives a refused read.
    expect((await dan.readResource(EVERYTHING_SERVER_ID, uris[1]!)).ok).toBe(true);
  });
});
