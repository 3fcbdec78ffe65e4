/**
 * What a server may ask, through the admin API: its sampling policy and token cap, and the folders
 * (roots) people may let it see. They round-trip, an update that leaves them out keeps them, and
 * a bad value is refused naming the field and what to change.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { AdminRequestError } from '../../admin/src/api/client.ts';
import { CreateServer, ServerQuery, TestConnection, UpdateServer } from '../../admin/src/api/operations.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, signInAdmin } from './support.ts';

let server: TestServer;
let ada: Admin;

beforeAll(async () => {
  server = await startTestServer();
  ada = await signInAdmin(server.url);
});
afterAll(async () => {
  await ada.client.close();
  await server[Symbol.asyncDispose]();
});

async function failure(call: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AdminRequestError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the call succeeded');
}

const http = (name: string) => ({ name, transport: 'STREAMABLE_HTTP' as const, url: `https://${name.toLowerCase()}.example/mcp` });

test('a new server may ask nothing: sampling off with a cap of 1,024 tokens, and no folders', async () => {
  const { createServer } = await ada.admin(CreateServer, { input: http('Quiet') });
  expect(createServer).toMatchObject({ samplingPolicy: 'OFF', samplingMaxTokens: 1024, allowedRoots: [] });
});

test('sampling and folders round-trip; an update that leaves them out keeps them, and an empty list allows none', async () => {
  const { createServer } = await ada.admin(CreateServer, {
    input: {
      ...http('Files'),
      samplingPolicy: 'ASK',
      samplingMaxTokens: 2048,
      allowedRoots: [
        { uri: 'file:///srv/projects', name: '  Projects ' },
        { uri: 'file:///srv/docs', name: '  ' },
        { uri: 'file://fileserver/share/reports' },
      ],
    },
  });
  const id = createServer.id;
  const roots = [
    { uri: 'file:///srv/projects', name: 'Projects' },
    { uri: 'file:///srv/docs', name: null },
    { uri: 'file://fileserver/share/reports', name: null },
  ];
  expect(createServer).toMatchObject({ samplingPolicy: 'ASK', samplingMaxTokens: 2048, allowedRoots: roots });

  const { updateServer } = await ada.admin(UpdateServer, { id, input: { samplingPolicy: 'ALLOWED', description: 'Shared files' } });
  expect(updateServer).toMatchObject({ samplingPolicy: 'ALLOWED', samplingMaxTokens: 2048, allowedRoots: roots });

  await ada.admin(UpdateServer, { id, input: { allowedRoots: [], samplingMaxTokens: 100_000 } });
  expect((await ada.admin(ServerQuery, { id })).server).toMatchObject({
    samplingPolicy: 'ALLOWED',
    samplingMaxTokens: 100_000,
    allowedRoots: [],
  });
});

test('a folder that is not an absolute file:// URI in its normal form, or holds more than a place, is refused by name', async () => {
  const cases: [string, string][] = [
    ['file:relative/path', '"file:relative/path" must be a file:// URI with an absolute path, such as file:///srv/projects'],
    ['https://git.example/repo', '"https://git.example/repo" must be a file:// URI with an absolute path, such as file:///srv/projects'],
    ['/srv/projects', '"/srv/projects" must be a file:// URI with an absolute path, such as file:///srv/projects'],
    ['file://admin:hunter2@fileserver/share', '"file://admin:hunter2@fileserver/share" must not hold a user name or password'],
    ['file:///srv/a?token=abc', '"file:///srv/a?token=abc" must name a place only, without a ?query or #fragment'],
    ['file:///srv/a/../b', '"file:///srv/a/../b" must be written in its normal form, file:///srv/b'],
    ['file:///srv/My Files', '"file:///srv/My Files" must be written in its normal form, file:///srv/My%20Files'],
  ];
  for (const [uri, message] of cases) {
    expect(await failure(ada.admin(CreateServer, { input: { ...http('Bad'), allowedRoots: [{ uri }] } }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining(`allowedRoots: ${message}`),
    });
  }
  // A long one is quoted in part.
  const long = `file:///${'a'.repeat(2050)}`;
  expect(await failure(ada.admin(CreateServer, { input: { ...http('Bad'), allowedRoots: [{ uri: long }] } }))).toEqual({
    code: 'BAD_USER_INPUT',
    message: `allowedRoots: "${long.slice(0, 200)}…" is longer than 2,048 characters`,
  });
});

test('the list is bounded and has each folder once; names are short; the token cap is 1 to 100,000', async () => {
  const many = Array.from({ length: 21 }, (_, i) => ({ uri: `file:///srv/${i}` }));
  const cases: [Record<string, unknown>, string][] = [
    [{ allowedRoots: many }, 'allowedRoots: at most 20 roots'],
    [{ allowedRoots: [{ uri: 'file:///srv/a' }, { uri: 'file:///srv/a' }] }, 'allowedRoots: "file:///srv/a" is listed twice'],
    [
      { allowedRoots: [{ uri: 'file:///srv/a', name: 'n'.repeat(101) }] },
      'allowedRoots: the name of "file:///srv/a" is longer than 100 characters',
    ],
    [{ samplingMaxTokens: 0 }, 'samplingMaxTokens: must be at least 1'],
    [{ samplingMaxTokens: 100_001 }, 'samplingMaxTokens: must be at most 100,000'],
  ];
  for (const [fields, message] of cases) {
    expect(await failure(ada.admin(CreateServer, { input: { ...http('Bad'), ...fields } }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining(message),
    });
  }
  // An update is checked as a whole: a bad folder is refused, and what was stored stays.
  const { createServer } = await ada.admin(CreateServer, { input: { ...http('Kept'), allowedRoots: [{ uri: 'file:///srv/kept' }] } });
  expect(
    await failure(
      ada.admin(UpdateServer, { id: createServer.id, input: { allowedRoots: [{ uri: 'file:///srv/kept' }, { uri: 'nope' }] } }),
    ),
  ).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('allowedRoots: "nope" must be a file:// URI') });
  expect((await ada.admin(ServerQuery, { id: createServer.id })).server?.allowedRoots).toEqual([{ uri: 'file:///srv/kept', name: null }]);
});

test('an unsaved definition is tested with the same checks', async () => {
  expect(await failure(ada.admin(TestConnection, { input: { ...http('Unsaved'), allowedRoots: [{ uri: 'file:x' }] } }))).toEqual({
    code: 'BAD_USER_INPUT',
    message: expect.stringContaining('allowedRoots: "file:x" must be a file:// URI'),
  });
});
