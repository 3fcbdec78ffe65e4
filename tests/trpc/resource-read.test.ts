/**
 * `servers.readResource`: a person reads a resource through their own connection only. A server
 * they have not connected, or one the catalogue does not have, is refused as NOT_FOUND before any
 * server is asked; through their own connection, another person's note is not found either. The
 * URI is bounded, and reads are rate limited per person.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import { NotesStore } from '../../server/mcp-server/notes-store.ts';
import { INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { refusal } from '../support/refusal.ts';

let server: TestServer;
let uma: Person;
let ulf: Person;
let umasNote: string;

beforeAll(async () => {
  server = await startTestServer();
  [uma, ulf] = await Promise.all([signIn(server.url, 'uma@countersign.dev'), signIn(server.url, 'ulf@countersign.dev')]);
  await uma.client.api.servers.connect.mutate({ serverId: INTERNAL_SERVER_ID });
  const umaId = (await uma.client.api.auth.me.query()).id;
  const note = await new NotesStore(server.db).create(umaId, 'Budget', 'rent first');
  umasNote = `countersign://notes/${note.id}`;
});
afterAll(async () => {
  await Promise.all([uma.client.close(), ulf.client.close()]);
  await server[Symbol.asyncDispose]();
});

test('the owner reads her note through her connection', async () => {
  expect(await uma.client.api.servers.readResource.query({ serverId: INTERNAL_SERVER_ID, uri: umasNote })).toEqual({
    contents: [{ uri: umasNote, mimeType: 'text/markdown', text: '# Budget\n\nrent first' }],
    leftOut: [],
  });
});

test('a server the person has not connected is refused as NOT_FOUND, and is not connected by the read', async () => {
  expect(await refusal(ulf.client.api.servers.readResource.query({ serverId: INTERNAL_SERVER_ID, uri: umasNote }))).toEqual({
    code: 'NOT_FOUND',
    message: 'You have not connected Countersign.',
  });
  expect(await refusal(ulf.client.api.servers.readResource.query({ serverId: 'no-such-server', uri: umasNote }))).toEqual({
    code: 'NOT_FOUND',
    message: 'No MCP server no-such-server in the catalogue.',
  });
  const ulfId = (await ulf.client.api.auth.me.query()).id;
  expect(server.mcpHandlers.forUser(ulfId).hasServer(INTERNAL_SERVER_ID)).toBe(false);
});

test('through his own connection, another person’s note is not found', async () => {
  await ulf.client.api.servers.connect.mutate({ serverId: INTERNAL_SERVER_ID });
  expect(await refusal(ulf.client.api.servers.readResource.query({ serverId: INTERNAL_SERVER_ID, uri: umasNote }))).toEqual({
    code: 'NOT_FOUND',
    message: `Countersign has no resource ${umasNote}`,
  });
});

test('a URI longer than 2048 characters is refused as invalid input', async () => {
  const uri = `countersign://notes/${'x'.repeat(2048)}`;
  expect(await refusal(uma.client.api.servers.readResource.query({ serverId: INTERNAL_SERVER_ID, uri }))).toEqual({
    code: 'BAD_REQUEST',
    message: 'uri is longer than 2,048 characters.',
  });
});

test('reads are rate limited per person', async () => {
  const ada = await signIn(server.url, 'ada@countersign.dev');
  const outcomes = await Promise.allSettled(
    Array.from({ length: 60 }, () => ada.client.api.servers.readResource.query({ serverId: INTERNAL_SERVER_ID, uri: umasNote })),
  );
  await ada.client.close();
  const codes = outcomes.map((o) => (o.status === 'rejected' && o.reason instanceof TRPCClientError ? o.reason.data?.code : 'other'));
  // Ada has not connected the server: each read he is allowed is refused as NOT_FOUND, the rest as too many.
  expect(new Set(codes)).toEqual(new Set(['NOT_FOUND', 'TOO_MANY_REQUESTS']));
  expect(codes.filter((c) => c === 'NOT_FOUND').length).toBeLessThan(30);
});
