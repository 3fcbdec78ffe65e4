/**
 * /metrics in Prometheus text format: refused without the metrics token, served on a port of its
 * own without one (METRICS_PORT), and its counters move by exactly what a scripted conversation
 * did. The body is read by a strict text-format parser (tests/support/prometheus-text.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import type { AppDatabase } from '../../db/database.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { ChatStore } from '../../server/chats/chat-store.ts';
import { ConfigError } from '../../server/config.ts';
import { countWaitingApprovals } from '../../server/metrics/waiting-approvals.ts';
import { backends } from '../db/backends.ts';
import { backends as checkpointBackends } from '../checkpointer/support/backends.ts';
import { buildGraph, DeltaState, talk } from '../checkpointer/support/talking-graph.ts';
import { eventually } from '../support/eventually.ts';
import { signIn } from '../support/people.ts';
import { freePort } from '../support/ports.ts';
import { type Family, parsePrometheusText, sampleValue } from '../support/prometheus-text.ts';
import { startTestServer, testConfig } from '../support/test-server.ts';
import { finalState, follow, INTERNAL, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';
const NOTES_CREATE = 'countersign__notes_create';
/** The answer after the tool's result, streamed in these pieces. */
const ANSWER_PIECES = ['Saved', ' the', ' note', ' for', ' you.'];

const EVERY_METRIC = [
  'countersign_websocket_connections',
  'countersign_answers_running',
  'countersign_turn_starts_queued',
  'countersign_tokens_streamed_total',
  'countersign_approvals_waiting',
  'countersign_approval_decisions_total',
  'countersign_tool_calls_total',
  'countersign_mcp_connections',
  'countersign_model_errors_total',
  'countersign_event_loop_lag_seconds',
  'countersign_checkpoint_write_seconds',
  'countersign_rate_limit_refusals_total',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
];

async function scrapeWith(url: string, headers: Record<string, string> = {}): Promise<Map<string, Family>> {
  const response = await fetch(`${url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toStartWith('text/plain; version=0.0.4');
  return parsePrometheusText(await response.text());
}

describe('with METRICS_TOKEN', () => {
  let kit: FaultKit;
  const scrape = () => scrapeWith(kit.server.url, { authorization: `Bearer ${TOKEN}` });
  const value = async (name: string, labels: Record<string, string> = {}) => sampleValue(await scrape(), name, labels) ?? 0;

  beforeAll(async () => {
    kit = await startFaultKit({ METRICS_TOKEN: TOKEN });
    await kit.person.client.api.servers.connect.mutate({ serverId: INTERNAL });
    kit.model.fallback((body) => {
      const last = body.messages.at(-1);
      const text = String(last?.content ?? '');
      if (last?.role === 'tool') return { kind: 'text', text: ANSWER_PIECES.join(''), tokens: ANSWER_PIECES };
      const note = last?.role === 'user' ? /^Save a note titled (.+)\.$/.exec(text) : null;
      if (note) return { kind: 'tool_calls', calls: [{ name: NOTES_CREATE, arguments: { title: note[1]!, body: 'metrics test' } }] };
      if (text === 'Fail, please.') return { kind: 'error', status: 401, message: 'bad key' };
      return { kind: 'text', text: 'Hello.' };
    });
  });
  afterAll(async () => {
    await kit[Symbol.asyncDispose]();
  });

  test('without the token, or with a wrong one, /metrics is refused', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-metrics-token' }, { authorization: TOKEN }] as Record<string, string>[]) {
      const response = await fetch(`${kit.server.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toStartWith('Bearer');
      expect(await response.text()).not.toContain('countersign_');
    }
  });

  test('with the token, every metric is there and the body parses', async () => {
    const families = await scrape();
    for (const name of EVERY_METRIC) expect(families.has(name)).toBe(true);
    expect(families.get('countersign_checkpoint_write_seconds')?.type).toBe('histogram');
    expect(families.get('countersign_tokens_streamed_total')?.type).toBe('counter');
    expect(sampleValue(families, 'countersign_mcp_connections', { state: 'connected' })).toBe(1);
  });

  test('a conversation with an approved tool call moves the counters by exactly what it did', async () => {
    const server = (await kit.server.catalogue.get(INTERNAL))!.name;
    const succeeded = { server, outcome: 'succeeded' };
    const before = await scrape();
    const checkpointWrites = sampleValue(before, 'countersign_checkpoint_write_seconds_count', { operation: 'put' }) ?? 0;

    const chat = await newChat(kit.person, [INTERNAL]);
    const { recorder, unsubscribe } = await follow(kit.person, chat.id);
    expect(await value('countersign_websocket_connections')).toBe(1);
    await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Save a note titled Metrics.' });
    const asked = await recorder.until((e) => e.type === 'approval_requested');
    if (asked.type !== 'approval_requested') throw new Error('unreachable');
    await eventually(async () => (await value('countersign_approvals_waiting')) === 1, 'the approval counted as waiting');

    await kit.person.client.api.chats.decide.mutate({
      chatId: chat.id,
      interruptId: asked.approval.interruptId,
      decisions: [{ toolCallId: asked.approval.items[0]!.toolCallId, action: 'approve' }],
    });
    expect(await finalState(recorder)).toEqual({ status: 'idle' });
    unsubscribe();

    await eventually(async () => (await value('countersign_approvals_waiting')) === 0, 'no approval left waiting');
    await eventually(async () => (await value('countersign_answers_running')) === 0, 'no answer left running');
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
    expect(moved('countersign_tokens_streamed_total')).toBe(ANSWER_PIECES.length);
    expect(moved('countersign_approval_decisions_total', { outcome: 'approved' })).toBe(1);
    expect(moved('countersign_approval_decisions_total', { outcome: 'rejected' })).toBe(0);
    expect(moved('countersign_tool_calls_total', succeeded)).toBe(1);
    expect(moved('countersign_tool_calls_total', { server, outcome: 'failed' })).toBe(0);
    expect(sampleValue(after, 'countersign_turn_starts_queued')).toBe(0);
    expect(sampleValue(after, 'countersign_checkpoint_write_seconds_count', { operation: 'put' })).toBeGreaterThan(checkpointWrites);
  });

  test('a stalled event loop shows as lag at the next scrape', async () => {
    await scrape(); // starts a new interval
    // The server runs in this process: this loop holds its event loop too.
    const until = performance.now() + 200;
    while (performance.now() < until) {}
    await Bun.sleep(20); // the lag monitor's timer fires late once the loop is free
    expect(await value('countersign_event_loop_lag_seconds')).toBeGreaterThanOrEqual(0.15);
  });

  test('a model that refuses the credentials counts as an auth error', async () => {
    const before = await value('countersign_model_errors_total', { kind: 'auth' });
    const chat = await newChat(kit.person);
    const { recorder, unsubscribe } = await follow(kit.person, chat.id);
    await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Fail, please.' });
    expect((await finalState(recorder)).status).toBe('failed');
    unsubscribe();
    expect(await value('countersign_model_errors_total', { kind: 'auth' })).toBe(before + 1);
  });

  test('a rate-limit refusal is counted by its limit, and only that one', async () => {
    const person = await signIn(kit.server.url, 'ulf@countersign.dev');
    try {
      const before = await value('countersign_rate_limit_refusals_total', { limit: 'creates' });
      let refused: unknown;
      for (let attempt = 0; attempt < 60 && !refused; attempt++) {
        refused = await person.client.api.chats.create.mutate({ title: `Chat ${attempt}` }).then(
          () => undefined,
          (error: unknown) => error,
        );
      }
      expect(refused instanceof TRPCClientError && refused.data?.code).toBe('TOO_MANY_REQUESTS');
      expect(await value('countersign_rate_limit_refusals_total', { limit: 'creates' })).toBe(before + 1);
    } finally {
      await person.client.close();
    }
  });
});

describe('with METRICS_PORT', () => {
  test('metrics are served on their own port without a token, and the main port has no /metrics', async () => {
    const port = freePort();
    await using server = await startTestServer({ METRICS_PORT: String(port) });
    const main = await fetch(`${server.url}/metrics`);
    expect(main.status).toBe(404);
    expect(await main.text()).not.toContain('countersign_');

    const families = await scrapeWith(`http://127.0.0.1:${port}`);
    for (const name of EVERY_METRIC) expect(families.has(name)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(404);
  });

  test('a metrics port equal to PORT, or a short token, is refused at start-up', () => {
    expect(() => testConfig({ PORT: '3999', METRICS_PORT: '3999' })).toThrow(ConfigError);
    expect(() => testConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN.*at least 16 characters/);
  });
});

for (const backend of backends) {
  describe(`approvals waiting on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
    });
    afterAll(() => dispose());

    test("counts everyone's live chats that wait for an approval, and no deleted one", async () => {
      const chats = new ChatStore(db);
      const users = new DrizzleUserStore(db);
      const person = async (name: string) =>
        (
          await users.upsertOnSignIn(
            { issuer: 'https://idp.test', subject: name, tenantId: null, email: `${name}@example.test`, name },
            new Date(),
          )
        ).id;
      const waiting = { interruptId: 'i-1', since: new Date().toISOString(), tools: ['Create note'] };
      const [uma, ulf] = [await person('uma'), await person('ulf')];
      const [a, b, deleted] = [await chats.create(uma, {}), await chats.create(ulf, {}), await chats.create(ulf, {})];
      await chats.create(uma, {});
      expect(await countWaitingApprovals(db)).toBe(0);
      for (const chat of [a, b, deleted]) await chats.setWaitingApproval(chat.id, waiting);
      await chats.softDelete(ulf, deleted.id);
      expect(await countWaitingApprovals(db)).toBe(2);
    });
  });
}

for (const backend of checkpointBackends) {
  test(`${backend.name} reports the time of each checkpoint write`, async () => {
    const store = await backend.createStore();
    try {
      const saver = await store.open();
      const writes: { operation: string; seconds: number }[] = [];
      (saver as typeof saver & { onWrite?: (operation: string, seconds: number) => void }).onWrite = (operation, seconds) =>
        writes.push({ operation, seconds });
      await talk(buildGraph(saver, DeltaState), 'metrics-thread', 0, 1);
      expect(new Set(writes.map((w) => w.operation))).toEqual(new Set(['put', 'put_writes']));
      expect(writes.every((w) => w.seconds >= 0 && Number.isFinite(w.seconds))).toBe(true);
    } finally {
      await store.remove();
    }
  });
}
