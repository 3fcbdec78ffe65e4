/**
 * The built-in server's prompt (summarise_notes, its `topic` completed from the caller's note
 * titles) and resource (countersign://notes/{id}), each per caller: over /mcp in both protocol
 * eras with a token the backend signed, and over the in-process link where one server instance
 * serves everyone.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createInternalMcpServer } from '../../server/mcp-server/server.ts';
import { NotesStore } from '../../server/mcp-server/notes-store.ts';
import { CALLER_META_KEY, linkInProcess } from '../../server/mcp/in-process-link.ts';
import { startTestServer } from '../support/test-server.ts';
import { createUser } from './support.ts';

const server = await startTestServer();
const notes = new NotesStore(server.db);
const clients: Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server[Symbol.asyncDispose]();
});

/** A person with notes of their own, made through the store the tools use. */
async function personWithNotes(name: string, titles: [title: string, body: string][]) {
  const userId = await createUser(server.db, name);
  const made = [];
  for (const [title, body] of titles) made.push(await notes.create(userId, title, body));
  return { userId, notes: made };
}

/** An outside client of /mcp with the person's token, pinned to one era. */
async function overHttp(userId: string, era: 'legacy' | 'modern'): Promise<Client> {
  const { token } = await server.mcpHandlers.userTokens.sign(userId);
  const client = new Client(
    { name: 'outside-client', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : 'auto' } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  clients.push(client);
  expect(client.getNegotiatedProtocolVersion()).toBe(era === 'legacy' ? '2025-11-25' : '2026-07-28');
  return client;
}

function textOf(content: unknown): string {
  return (content as { text: string }).text;
}

for (const era of ['legacy', 'modern'] as const) {
  describe(`over /mcp, ${era === 'legacy' ? '2025-11-25' : '2026-07-28'}`, () => {
    test('the server declares prompts, resources and completions, and that none of its lists changes under a client', async () => {
      const { userId } = await personWithNotes(`declares-${era}`, []);
      const client = await overHttp(userId, era);
      expect(client.getServerCapabilities()).toMatchObject({
        tools: { listChanged: false },
        prompts: { listChanged: false },
        resources: { listChanged: false },
        completions: {},
      });
    });

    test('summarise_notes: listed with its argument, completed from the caller’s own titles, and filled with the caller’s own notes', async () => {
      const ada = await personWithNotes(`ada-${era}`, [
        ['Garden plan', 'tomatoes by the wall'],
        ['Gardening budget', 'under 200'],
        ['Reading list', 'Middlemarch'],
      ]);
      const bob = await personWithNotes(`bob-${era}`, [['Garage door', 'call the fitter']]);
      const asAda = await overHttp(ada.userId, era);
      const asBob = await overHttp(bob.userId, era);

      const { prompts } = await asAda.listPrompts();
      expect(prompts).toEqual([
        expect.objectContaining({ name: 'summarise_notes', arguments: [expect.objectContaining({ name: 'topic', required: false })] }),
      ]);

      const complete = (client: Client, value: string) =>
        client.complete({ ref: { type: 'ref/prompt', name: 'summarise_notes' }, argument: { name: 'topic', value } });
      expect((await complete(asAda, 'gar')).completion.values.sort()).toEqual(['Garden plan', 'Gardening budget']);
      expect((await complete(asBob, 'gar')).completion.values).toEqual(['Garage door']);
      expect((await complete(asAda, '')).completion.values).toHaveLength(3);
      // An argument that completes nothing, and a prompt the server does not have (the spec's -32602).
      expect(
        (await asAda.complete({ ref: { type: 'ref/prompt', name: 'summarise_notes' }, argument: { name: 'other', value: '' } })).completion
          .values,
      ).toEqual([]);
      await expect(
        asAda.complete({ ref: { type: 'ref/prompt', name: 'nothing_here' }, argument: { name: 'topic', value: '' } }),
      ).rejects.toThrow(/no prompt named nothing_here/);

      const summary = await asAda.getPrompt({ name: 'summarise_notes', arguments: { topic: 'garden' } });
      expect(summary.messages).toHaveLength(1);
      const text = textOf(summary.messages[0]!.content);
      expect(text).toContain('Summarise my notes about "garden"');
      expect(text).toContain('## Garden plan\ntomatoes by the wall');
      expect(text).toContain('## Gardening budget');
      expect(text).not.toContain('Reading list');
      const bobs = textOf((await asBob.getPrompt({ name: 'summarise_notes', arguments: { topic: 'garden' } })).messages[0]!.content);
      expect(bobs).toContain('I have no notes about "garden"');
      const newest = textOf((await asBob.getPrompt({ name: 'summarise_notes', arguments: {} })).messages[0]!.content);
      expect(newest).toContain('## Garage door\ncall the fitter');
    });

    test('countersign://notes/{id}: the caller’s notes listed and read; another person’s note is not found', async () => {
      const cleo = await personWithNotes(`cleo-${era}`, [
        ['Recipe', 'flour, water, salt'],
        ['Trip', 'train at 9'],
      ]);
      const dan = await personWithNotes(`dan-${era}`, [['Dan only', 'secret']]);
      const asCleo = await overHttp(cleo.userId, era);

      const { resourceTemplates } = await asCleo.listResourceTemplates();
      expect(resourceTemplates).toEqual([expect.objectContaining({ uriTemplate: 'countersign://notes/{id}', mimeType: 'text/markdown' })]);
      const { resources } = await asCleo.listResources();
      expect(resources.map((r) => r.name).sort()).toEqual(['Recipe', 'Trip']);
      const recipe = resources.find((r) => r.name === 'Recipe')!;
      expect(recipe).toMatchObject({ uri: `countersign://notes/${cleo.notes[0]!.id}`, mimeType: 'text/markdown' });

      const read = await asCleo.readResource({ uri: recipe.uri });
      expect(read.contents).toEqual([{ uri: recipe.uri, mimeType: 'text/markdown', text: '# Recipe\n\nflour, water, salt' }]);
      const dans = `countersign://notes/${dan.notes[0]!.id}`;
      await expect(asCleo.readResource({ uri: dans })).rejects.toThrow(/There is no note/);
      await expect(asCleo.readResource({ uri: 'countersign://elsewhere' })).rejects.toThrow();
    });
  });
}

describe('over the in-process link, one server instance for everyone', () => {
  test('completion, prompts and resources answer each caller the link names with their own notes', async () => {
    const eve = await personWithNotes('eve-link', [['Holiday ideas', 'coast']]);
    const fay = await personWithNotes('fay-link', [['Homework', 'maths']]);
    const link = linkInProcess();
    const instance = createInternalMcpServer(notes);
    await instance.connect(link.server);
    const client = new Client({ name: 'countersign', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
    await client.connect(link.client);
    clients.push(client);
    const as = (userId: string) => ({ [CALLER_META_KEY]: userId });

    const complete = (userId: string) =>
      client.complete({
        ref: { type: 'ref/prompt', name: 'summarise_notes' },
        argument: { name: 'topic', value: 'ho' },
        _meta: as(userId),
      });
    const [eves, fays] = await Promise.all([complete(eve.userId), complete(fay.userId)]);
    expect(eves.completion.values).toEqual(['Holiday ideas']);
    expect(fays.completion.values).toEqual(['Homework']);

    const listed = await client.listResources({ _meta: as(fay.userId) });
    expect(listed.resources.map((r) => r.name)).toEqual(['Homework']);
    await expect(client.readResource({ uri: `countersign://notes/${eve.notes[0]!.id}`, _meta: as(fay.userId) })).rejects.toThrow(
      /There is no note/,
    );
    // A request that names nobody is refused, not served as anyone.
    await expect(client.listResources()).rejects.toThrow(/does not say which user/);
  });
});
