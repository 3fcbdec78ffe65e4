/**
 * Oversized and malformed input to every procedure, as an attacker or a buggy client sends it: a
 * few hundred generated cases over HTTP, malformed requests, and junk WebSocket frames. Every error
 * is a 4xx answer with a JSON error body (never a 500), nothing is polluted, and the server stays
 * healthy and usable afterwards.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { generateCorpus, type Case, type Procedure } from './fixtures/corpus.ts';
import { eventually } from '../support/eventually.ts';
import { wsUrl } from '../support/ws.ts';
import { INTERNAL, newChat, startFaultKit, type FaultKit } from './support.ts';

let kit: FaultKit;
let chatId: string;
beforeAll(async () => {
  kit = await startFaultKit();
  chatId = (await newChat(kit.person)).id;
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

/** Every procedure but auth.logout, which would end the session the rest of the run uses. */
function procedures(): Procedure[] {
  const other = crypto.randomUUID();
  return [
    { path: 'auth.me', kind: 'query' },
    { path: 'session.initialize', kind: 'mutation' },
    { path: 'servers.list', kind: 'query' },
    { path: 'servers.connect', kind: 'mutation', valid: { serverId: INTERNAL, chatId }, required: ['serverId'] },
    { path: 'servers.disconnect', kind: 'mutation', valid: { serverId: 'not-in-the-catalogue' }, required: ['serverId'] },
    { path: 'chats.list', kind: 'query', valid: { limit: 10, cursor: '1:abc', search: 'x' } },
    { path: 'chats.create', kind: 'mutation', valid: { title: 'Corpus', enabledServers: [] } },
    { path: 'chats.get', kind: 'query', valid: { chatId }, required: ['chatId'] },
    { path: 'chats.send', kind: 'mutation', valid: { chatId: other, text: 'hello' }, required: ['chatId', 'text'] },
    {
      path: 'chats.decide',
      kind: 'mutation',
      valid: { chatId, interruptId: 'interrupt', decisions: [{ toolCallId: 'call', action: 'approve' }], alwaysAllow: [] },
      required: ['chatId', 'interruptId', 'decisions'],
    },
    { path: 'chats.retry', kind: 'mutation', valid: { chatId }, required: ['chatId'] },
    { path: 'chats.stop', kind: 'mutation', valid: { chatId }, required: ['chatId'] },
    { path: 'chats.rename', kind: 'mutation', valid: { chatId, title: 'Renamed' }, required: ['chatId', 'title'] },
    { path: 'chats.setServers', kind: 'mutation', valid: { chatId, enabledServers: [] }, required: ['chatId', 'enabledServers'] },
    { path: 'chats.delete', kind: 'mutation', valid: { chatId: other }, required: ['chatId'] },
  ];
}

interface Answer {
  status: number;
  /** The parsed body, or the raw text when it was not JSON. */
  body: unknown;
}

async function send(c: Case): Promise<Answer> {
  const headers = { cookie: kit.person.cookie, 'content-type': 'application/json' };
  const url = new URL(`${kit.server.url}/trpc/${c.procedure.path}`);
  const init: RequestInit = c.procedure.kind === 'query' ? { headers } : { method: 'POST', headers, body: c.json };
  if (c.procedure.kind === 'query') url.searchParams.set('input', c.json);
  const response = await fetch(url, init);
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

function isJsonError(body: unknown): boolean {
  const error = (body as { error?: { message?: unknown; data?: { code?: unknown } } } | null)?.error;
  return typeof error?.message === 'string' && (error.data === undefined || typeof error.data.code === 'string');
}

const isBadRequest = (body: unknown) => (body as { error?: { data?: { code?: unknown } } } | null)?.error?.data?.code === 'BAD_REQUEST';

/** A BAD_REQUEST says what to fix in one line a person can read: not a JSON dump of validator issues. */
function isSentence(body: unknown): boolean {
  const message = (body as { error: { message: string } }).error.message;
  return /^["\w][^\n]*\.$/.test(message) && !/^[[{]|"code":/.test(message);
}

async function healthy(): Promise<number> {
  return (await fetch(`${kit.server.url}/healthz`)).status;
}

test('a generated corpus of hostile inputs to every procedure: 4xx JSON errors, never a 500', async () => {
  const corpus = generateCorpus(procedures());
  expect(corpus.length).toBeGreaterThan(300);
  const problems: string[] = [];
  for (const c of corpus) {
    const { status, body } = await send(c);
    const where = `${c.procedure.path} ${c.label}: ${status} ${JSON.stringify(body).slice(0, 160)}`;
    if (status >= 500) problems.push(where);
    // Bun's HTTP server refuses a request line over its size limit before the app sees it, with no body.
    else if (status === 431 && c.procedure.kind === 'query' && c.json.length > 8_000) continue;
    else if (status >= 400 && !isJsonError(body)) problems.push(`not a JSON error: ${where}`);
    else if (isBadRequest(body) && !isSentence(body)) problems.push(`not one sentence: ${where}`);
    else if (c.mustBeRejected && status < 400) problems.push(`accepted: ${where}`);
  }
  expect(problems).toEqual([]);
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(await healthy()).toBe(200);
});

test('malformed requests: bad JSON, wrong content type, unknown procedures, mismatched batches', async () => {
  const base = `${kit.server.url}/trpc`;
  const cookie = kit.person.cookie;
  const json = { cookie, 'content-type': 'application/json' };
  const requests: [string, string, RequestInit][] = [
    ['body is not JSON', `${base}/chats.create`, { method: 'POST', headers: json, body: '{"title": "unterminated' }],
    ['body is empty', `${base}/chats.rename`, { method: 'POST', headers: json, body: '' }],
    [
      'edited arguments nested 100000 levels deep',
      `${base}/chats.decide`,
      { method: 'POST', headers: json, body: deepDecision(chatId, 100_000) },
    ],
    [
      'body is 2 MB',
      `${base}/chats.send`,
      { method: 'POST', headers: json, body: JSON.stringify({ chatId, text: 'y'.repeat(2_000_000) }) },
    ],
    [
      'form content type',
      `${base}/chats.create`,
      { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' },
    ],
    ['no content type', `${base}/chats.create`, { method: 'POST', headers: { cookie }, body: '{}' }],
    ['query string input is not JSON', `${base}/chats.get?input=%7Bnope`, { headers: { cookie } }],
    ['unknown procedure', `${base}/chats.explode`, { headers: { cookie } }],
    ['mutation called as a query', `${base}/chats.create`, { headers: { cookie } }],
    ['query called as a mutation', `${base}/chats.get`, { method: 'POST', headers: json, body: JSON.stringify({ chatId }) }],
    [
      'batch with too few inputs',
      `${base}/chats.get,chats.get?batch=1&input=${encodeURIComponent('{"0":{"chatId":1}}')}`,
      { headers: { cookie } },
    ],
    ['batch input is an array', `${base}/chats.get?batch=1&input=${encodeURIComponent('[1,2]')}`, { headers: { cookie } }],
    ['no session', `${base}/chats.list`, {}],
    ['forged session', `${base}/chats.list`, { headers: { cookie: 'countersign_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } }],
    ['bearer token of the wrong shape', `${base}/chats.list`, { headers: { authorization: `Bearer cs_${'x'.repeat(5000)}` } }],
  ];
  const problems: string[] = [];
  for (const [label, url, init] of requests) {
    const response = await fetch(url, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Stays the raw text, reported below.
    }
    // A batch answers with one JSON error per call, in an array.
    const errors = Array.isArray(body) ? body : [body];
    if (response.status < 400 || response.status >= 500 || !errors.every(isJsonError)) {
      problems.push(`${label}: ${response.status} ${text.slice(0, 160)}`);
    } else if (!errors.every((error) => !isBadRequest(error) || isSentence(error))) {
      problems.push(`${label}: not one sentence: ${text.slice(0, 160)}`);
    }
  }
  expect(problems).toEqual([]);
  expect(await healthy()).toBe(200);
});

test('junk WebSocket frames get error replies, never an internal error, and the socket stays usable', async () => {
  const socket = new WebSocket(wsUrl(kit.server.url), {
    headers: { cookie: kit.person.cookie, origin: kit.server.url },
  } as unknown as string[]);
  const replies: { id?: unknown; error?: { code?: number; data?: { code?: string } }; result?: unknown }[] = [];
  socket.onmessage = ({ data }) => replies.push(JSON.parse(String(data)));
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const frames = [
    'not json at all',
    '{}',
    '[]',
    'null',
    JSON.stringify({ id: 1, method: 'query', params: { path: 'chats.get', input: { chatId: 7 } } }),
    JSON.stringify({ id: 2, method: 'mutation', params: { path: 'chats.rename', input: { chatId, title: 'x'.repeat(100_000) } } }),
    JSON.stringify({ id: 3, method: 'subscription', params: { path: 'chats.events', input: { chatId: 'nope' } } }),
    JSON.stringify({ id: 4, method: 'explode', params: { path: 'chats.get', input: {} } }),
    JSON.stringify({ id: 5, method: 'query', params: { path: 'nowhere.at.all', input: {} } }),
    JSON.stringify({ id: { __proto__: { polluted: true } }, method: 'query', params: { path: 'chats.get' } }),
    nestedFrame(2_000),
  ];
  for (const frame of frames) socket.send(frame);
  socket.send(JSON.stringify({ id: 99, method: 'query', params: { path: 'chats.get', input: { chatId } } }));
  // A socket the server closed ends the wait too; the checks below then say what is missing.
  await eventually(() => replies.some((r) => r.id === 99) || socket.readyState !== WebSocket.OPEN, 'the reply to the last frame');
  socket.close();

  const errors = replies.filter((r) => r.error);
  expect(errors.length).toBeGreaterThanOrEqual(frames.length - 1);
  expect(errors.filter((r) => r.error?.data?.code === 'INTERNAL_SERVER_ERROR' || r.error?.code === -32603)).toEqual([]);
  expect(replies.find((r) => r.id === 99)).toMatchObject({ result: { type: 'data', data: { chat: { id: chatId } } } });
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(await healthy()).toBe(200);
  expect((await kit.person.client.api.chats.list.query({})).items.length).toBeGreaterThan(0);
});

function deepDecision(chatId: string, depth: number): string {
  const args = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `{"chatId":"${chatId}","interruptId":"i","decisions":[{"toolCallId":"t","action":"edit","arguments":${args}}]}`;
}

function nestedFrame(depth: number): string {
  return JSON.stringify({ id: 6, method: 'query', params: { path: 'chats.get' } }).replace(
    '}}',
    `,"input":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
  );
}
