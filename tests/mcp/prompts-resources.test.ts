/**
 * Prompts, resources and completion through a person's own connection (MCPHandler): the built-in
 * server (in process, each request in the caller's name), server-everything over stdio, a server
 * that declares none of them, and a server whose lists grow while connected, where the change
 * notice reaches the handler's listeners and the next listing has the new item.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { fileURLToPath } from 'node:url';
import { NotesStore } from '../../server/mcp-server/notes-store.ts';
import { EVERYTHING_SERVER_ID, INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import type { ToolsChangedEvent } from '../../server/mcp/types.ts';
import { eventually } from '../support/eventually.ts';
import { startTestServer } from '../support/test-server.ts';
import { startMutableServer, tool } from './fixtures/mutable-server.ts';
import { createUser } from './support.ts';

const server = await startTestServer();
const notes = new NotesStore(server.db);
const growingScript = fileURLToPath(new URL('../fixtures/growing-lists-server.ts', import.meta.url));
const toolsOnly = startMutableServer([tool('alpha')]);
afterAll(async () => {
  await server[Symbol.asyncDispose]();
  await toolsOnly.stop();
});

async function personConnectedTo(name: string, serverId: string) {
  const userId = await createUser(server.db, name);
  const mcp = server.mcpHandlers.forUser(userId);
  expect(await mcp.connect(serverId)).toMatchObject({ status: 'connected' });
  return { userId, mcp };
}

describe('the built-in server', () => {
  test('summarise_notes is listed, its topic completes from the caller’s own titles, and it fills in with the caller’s notes', async () => {
    const ada = await personConnectedTo('ada-prompts', INTERNAL_SERVER_ID);
    const bob = await personConnectedTo('bob-prompts', INTERNAL_SERVER_ID);
    await notes.create(ada.userId, 'Garden plan', 'tomatoes by the wall');
    await notes.create(bob.userId, 'Garage door', 'call the fitter');

    expect(await ada.mcp.prompts(INTERNAL_SERVER_ID)).toEqual({
      ok: true,
      more: 0,
      prompts: [
        {
          name: 'summarise_notes',
          title: 'Summarise my notes',
          description: expect.any(String),
          arguments: [{ name: 'topic', description: expect.any(String), required: false }],
        },
      ],
    });
    const topic = (mcp: typeof ada.mcp) =>
      mcp.complete(INTERNAL_SERVER_ID, { ref: { type: 'prompt', name: 'summarise_notes' }, argument: { name: 'topic', value: 'Gar' } });
    expect(await topic(ada.mcp)).toEqual({ ok: true, values: ['Garden plan'], hasMore: false });
    expect(await topic(bob.mcp)).toEqual({ ok: true, values: ['Garage door'], hasMore: false });

    const filled = await ada.mcp.getPrompt(INTERNAL_SERVER_ID, 'summarise_notes', { topic: 'Garden' });
    if (!filled.ok) throw new Error(filled.message);
    expect(filled.messages).toEqual([{ role: 'user', content: { type: 'text', text: expect.stringContaining('tomatoes by the wall') } }]);
    expect(JSON.stringify(filled)).not.toContain('fitter');
  });

  test('each person lists their own notes as resources, beside the notes template', async () => {
    const cleo = await personConnectedTo('cleo-resources', INTERNAL_SERVER_ID);
    const dan = await personConnectedTo('dan-resources', INTERNAL_SERVER_ID);
    const note = await notes.create(cleo.userId, 'Budget', 'rent first');

    expect(await cleo.mcp.resources(INTERNAL_SERVER_ID)).toEqual({
      ok: true,
      resources: [
        {
          uri: `countersign://notes/${note.id}`,
          name: 'Budget',
          title: 'Budget',
          description: 'One of your notes, as Markdown.',
          mimeType: 'text/markdown',
        },
      ],
      templates: [
        {
          uriTemplate: 'countersign://notes/{id}',
          name: 'note',
          title: 'Note',
          description: 'One of your notes, as Markdown.',
          mimeType: 'text/markdown',
        },
      ],
      more: { resources: 0, templates: 0 },
    });
    expect(await dan.mcp.resources(INTERNAL_SERVER_ID)).toMatchObject({ ok: true, resources: [] });
  });

  test('a server the person has not connected is not asked', async () => {
    const eve = server.mcpHandlers.forUser(await createUser(server.db, 'eve-prompts'));
    const refused = { ok: false, kind: 'not-connected', message: 'You have not connected Countersign.' } as const;
    expect(await eve.prompts(INTERNAL_SERVER_ID)).toEqual(refused);
    expect(await eve.resources(INTERNAL_SERVER_ID)).toEqual(refused);
    expect(await eve.getPrompt(INTERNAL_SERVER_ID, 'summarise_notes', {})).toEqual(refused);
    expect(eve.hasServer(INTERNAL_SERVER_ID)).toBe(false);
  });
});

describe('server-everything over stdio', () => {
  test('its prompts are listed with their arguments, and one fills in with the person’s argument', async () => {
    const { mcp } = await personConnectedTo('fay-everything', EVERYTHING_SERVER_ID);
    const listing = await mcp.prompts(EVERYTHING_SERVER_ID);
    if (!listing.ok) throw new Error(listing.message);
    expect(listing.prompts.map((p) => p.name)).toEqual(['simple-prompt', 'args-prompt', 'completable-prompt', 'resource-prompt']);
    expect(listing.prompts[1]!.arguments).toEqual([
      { name: 'city', description: 'Name of the city', required: true },
      { name: 'state', required: false },
    ]);

    expect(await mcp.getPrompt(EVERYTHING_SERVER_ID, 'args-prompt', { city: 'Leeds' })).toEqual({
      ok: true,
      messages: [{ role: 'user', content: { type: 'text', text: "What's weather in Leeds?" } }],
    });
    // An embedded resource comes with its text.
    const withResource = await mcp.getPrompt(EVERYTHING_SERVER_ID, 'resource-prompt', { resourceType: 'Text', resourceId: '2' });
    if (!withResource.ok) throw new Error(withResource.message);
    expect(withResource.messages[1]!.content).toEqual({
      type: 'resource',
      uri: 'demo://resource/dynamic/text/2',
      mimeType: 'text/plain',
      text: expect.stringMatching(/^Resource 2: This is a plaintext resource/),
    });
    // A prompt the server does not have is the server's error, as a value.
    expect(await mcp.getPrompt(EVERYTHING_SERVER_ID, 'no-such-prompt', {})).toMatchObject({
      ok: false,
      kind: 'protocol',
      message: expect.stringMatching(/^Everything answered with an error: .*no-such-prompt/),
    });
  });

  test('completion narrows one argument by another filled in before it', async () => {
    const { mcp } = await personConnectedTo('gus-everything', EVERYTHING_SERVER_ID);
    const ref = { type: 'prompt' as const, name: 'completable-prompt' };
    expect(await mcp.complete(EVERYTHING_SERVER_ID, { ref, argument: { name: 'department', value: 'S' } })).toEqual({
      ok: true,
      values: ['Sales', 'Support'],
      hasMore: false,
    });
    expect(
      await mcp.complete(EVERYTHING_SERVER_ID, { ref, argument: { name: 'name', value: '' }, context: { department: 'Engineering' } }),
    ).toEqual({ ok: true, values: ['Alice', 'Bob', 'Charlie'], hasMore: false });
  });

  test('its resources and templates are listed; a resource the server registers later is announced and listed', async () => {
    const events: ToolsChangedEvent[] = [];
    server.mcpHandlers.toolsChanged.add((event) => void events.push(event));
    const { userId, mcp } = await personConnectedTo('hal-everything', EVERYTHING_SERVER_ID);
    const listing = await mcp.resources(EVERYTHING_SERVER_ID);
    if (!listing.ok) throw new Error(listing.message);
    expect(listing.templates.map((t) => t.uriTemplate).sort()).toEqual([
      'demo://resource/dynamic/blob/{resourceId}',
      'demo://resource/dynamic/text/{resourceId}',
    ]);
    expect(listing.resources.some((r) => r.uri.startsWith('demo://resource/static/document/'))).toBe(true);

    const zipped = await mcp.callTool('everything__gzip-file-as-resource', { name: 'hello.txt.gz', data: 'data:text/plain,hello' });
    expect(zipped).toMatchObject({ ok: true });
    await eventually(
      () => events.some((e) => e.userId === userId && e.serverId === EVERYTHING_SERVER_ID && e.lists?.includes('resources')),
      'a resources-changed event',
    );
    const after = await mcp.resources(EVERYTHING_SERVER_ID);
    if (!after.ok) throw new Error(after.message);
    expect(after.resources.map((r) => r.uri)).toContain('demo://resource/session/hello.txt.gz');
  });
});

test('a server that declares no prompts, resources or completions has none, and is asked nothing about them', async () => {
  const { id } = await server.catalogue.create({ name: 'Tools only', transport: 'streamable-http', url: toolsOnly.url });
  const { mcp } = await personConnectedTo('ivy-tools-only', id);
  expect(await mcp.prompts(id)).toEqual({ ok: true, prompts: [], more: 0 });
  expect(await mcp.resources(id)).toEqual({ ok: true, resources: [], templates: [], more: { resources: 0, templates: 0 } });
  expect(await mcp.complete(id, { ref: { type: 'prompt', name: 'x' }, argument: { name: 'y', value: '' } })).toEqual({
    ok: true,
    values: [],
    hasMore: false,
  });
});

test('a prompt and a resource added while connected are announced, and listed from then on', async () => {
  const { id } = await server.catalogue.create({ name: 'Growing', transport: 'stdio', command: process.execPath, args: [growingScript] });
  const events: ToolsChangedEvent[] = [];
  server.mcpHandlers.toolsChanged.add((event) => void events.push(event));
  const { userId, mcp } = await personConnectedTo('jo-growing', id);
  const names = async () => {
    const listing = await mcp.prompts(id);
    return listing.ok ? listing.prompts.map((p) => p.name) : listing.message;
  };
  expect(await names()).toEqual(['first']);

  expect(await mcp.callTool('growing__add_prompt', { name: 'second' })).toMatchObject({ ok: true });
  await eventually(
    () => events.some((e) => e.userId === userId && e.serverId === id && e.lists?.includes('prompts')),
    'a prompts-changed event',
  );
  expect(await names()).toEqual(['first', 'second']);
  expect(await mcp.getPrompt(id, 'second', {})).toEqual({
    ok: true,
    messages: [{ role: 'user', content: { type: 'text', text: 'This is second.' } }],
  });

  expect(await mcp.callTool('growing__add_resource', { name: 'extra' })).toMatchObject({ ok: true });
  await eventually(() => events.some((e) => e.serverId === id && e.lists?.includes('resources')), 'a resources-changed event');
  expect(await mcp.resources(id)).toMatchObject({ ok: true, resources: [{ uri: 'growing://first' }, { uri: 'growing://extra' }] });
});
