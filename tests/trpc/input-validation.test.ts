/** Malformed input gets BAD_REQUEST with a message naming what was wrong; internals never leak. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let uma: Person;
let chatId: string;

beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
  chatId = (await uma.client.api.chats.create.mutate({})).id;
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
});

type Call = { kind: 'query' | 'mutation'; path: string; input: unknown; mentions: RegExp };

async function call({ kind, path, input }: Call) {
  const url = new URL(`${server.url}/trpc/${path}`);
  const init: RequestInit = { headers: { cookie: uma.cookie, 'content-type': 'application/json' } };
  if (kind === 'query') url.searchParams.set('input', JSON.stringify(input));
  else Object.assign(init, { method: 'POST', body: JSON.stringify(input) });
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as { error: { message: string; data: { code: string } } } };
}

const long = (n: number) => 'x'.repeat(n);
const cases: Call[] = [
  { kind: 'query', path: 'chats.list', input: { limit: 0 }, mentions: /limit|>=1/i },
  { kind: 'query', path: 'chats.list', input: { limit: 10_000 }, mentions: /limit|<=100/i },
  { kind: 'query', path: 'chats.list', input: { cursor: 'garbage' }, mentions: /cursor/i },
  { kind: 'mutation', path: 'chats.create', input: { title: long(201) }, mentions: /title|200/i },
  { kind: 'mutation', path: 'chats.create', input: { enabledServers: 'all' }, mentions: /enabledServers|array/i },
  { kind: 'query', path: 'chats.get', input: { chatId: 'not-a-uuid' }, mentions: /chatId/ },
  { kind: 'query', path: 'chats.get', input: {}, mentions: /chatId/ },
  { kind: 'mutation', path: 'chats.rename', input: { chatId: crypto.randomUUID(), title: '   ' }, mentions: /empty/ },
  {
    kind: 'mutation',
    path: 'chats.setServers',
    input: { chatId: crypto.randomUUID(), enabledServers: [long(65)] },
    mentions: /enabledServers|64/,
  },
  { kind: 'mutation', path: 'chats.send', input: { chatId: crypto.randomUUID(), text: '' }, mentions: /empty/ },
  { kind: 'mutation', path: 'chats.send', input: { chatId: crypto.randomUUID(), text: long(32_001) }, mentions: /32,000/ },
  {
    kind: 'mutation',
    path: 'chats.decide',
    input: { chatId: crypto.randomUUID(), interruptId: 'i', decisions: [] },
    mentions: /at least one/,
  },
  {
    kind: 'mutation',
    path: 'chats.decide',
    input: { chatId: crypto.randomUUID(), interruptId: 'i', decisions: [{ toolCallId: 't', action: 'maybe' }] },
    mentions: /action|approve|edit|reject/,
  },
  {
    kind: 'mutation',
    path: 'chats.decide',
    // Each edit within its own limit, together over the decision's: the request still fits MAX_REQUEST_BODY_BYTES.
    input: {
      chatId: crypto.randomUUID(),
      interruptId: 'i',
      decisions: ['a', 'b', 'c'].map((toolCallId) => ({ toolCallId, action: 'edit', arguments: { body: long(90_000) } })),
    },
    mentions: /together; the limit is 250,000/,
  },
  { kind: 'mutation', path: 'chats.stop', input: { chatId: 42 }, mentions: /chatId/ },
  { kind: 'mutation', path: 'chats.delete', input: null, mentions: /object|chatId/i },
  { kind: 'mutation', path: 'servers.connect', input: { serverId: '' }, mentions: /serverId|>=1/ },
  { kind: 'mutation', path: 'servers.disconnect', input: {}, mentions: /serverId/ },
];

describe('input validation', () => {
  for (const c of cases) {
    test(`${c.path} ${JSON.stringify(c.input)?.slice(0, 60)} → BAD_REQUEST naming the problem`, async () => {
      const { status, body } = await call(c);
      expect(status).toBe(400);
      expect(body.error.data.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(c.mentions);
      // One sentence a person can act on, never a dump of the validator's issues.
      expect(body.error.message).toMatch(/^["\w][^\n]*\.$/);
      expect(body.error.message).not.toMatch(/^[[{]|"code":/);
    });
  }

  test('a message over the limit says how long it is and what the limit is; programs get the field path and every issue', async () => {
    const { body } = await call({ kind: 'mutation', path: 'chats.send', input: { chatId, text: long(40_000) }, mentions: /./ });
    const error = body.error as { message: string; data: { code: string; fieldPath?: unknown; issues?: unknown } };
    expect(error.message).toBe('The message is 40,000 characters; the limit is 32,000.');
    expect(error.data).toMatchObject({
      code: 'BAD_REQUEST',
      fieldPath: ['text'],
      issues: [{ path: ['text'], message: error.message, code: 'too_big' }],
    });
  });

  test('every problem is in the data, the first one in the message', async () => {
    const { body } = await call({ kind: 'mutation', path: 'chats.send', input: { chatId: 'nope', text: '' }, mentions: /./ });
    const error = body.error as { message: string; data: { fieldPath?: unknown; issues?: { path: unknown }[] } };
    expect(error.message).toBe('chatId must be a chat id (a UUID).');
    expect(error.data.fieldPath).toEqual(['chatId']);
    expect(error.data.issues?.map((issue) => issue.path)).toEqual([['chatId'], ['text']]);
  });

  test('malformed input aimed at a real chat is refused and leaves the chat untouched', async () => {
    const { id } = await uma.client.api.chats.create.mutate({});
    const aimed = cases.filter((c) => /^[0-9a-f-]{36}$/.test(String((c.input as { chatId?: unknown } | null)?.chatId)));
    expect(aimed.length).toBeGreaterThan(3);
    for (const c of aimed) {
      const { status } = await call({ ...c, input: { ...(c.input as object), chatId: id } });
      expect({ path: c.path, input: c.input, status }).toEqual({ path: c.path, input: c.input, status: 400 });
    }
    const { chat, history } = await uma.client.api.chats.get.query({ chatId: id });
    expect(chat.title).toBe('New chat');
    expect(history.messages).toEqual([]);
  });

  test('an unexpected server error reaches the client as a plain message with an error id, never its internals', async () => {
    server.db.sqlite.run('DROP INDEX chats_owner_updated');
    server.db.sqlite.run('ALTER TABLE chats RENAME TO chats_moved');
    try {
      const { status, body } = await call({ kind: 'query', path: 'chats.list', input: {}, mentions: /./ });
      expect(status).toBe(500);
      expect(body.error.message).toMatch(/^Something went wrong on the server\. Quote error id [\w-]+ when reporting it\.$/);
      expect(JSON.stringify(body)).not.toMatch(/no such table|sqlite|chats_moved|at \w+ \(/i);
    } finally {
      server.db.sqlite.run('ALTER TABLE chats_moved RENAME TO chats');
    }
  });
});
