/**
 * The server process dies in the middle of an answer (SIGKILL: no graceful shutdown) while another
 * chat waits for an approval; a new process starts on the same data folder. The pending approval
 * is intact and can be decided (the tool runs once), and the cut-off answer says it did not finish
 * and can be retried to completion. The server runs as `bun server/main.ts`, as in production.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { createCountersignClient, type CountersignClient } from '../../shared/client.ts';
import { startMainProcess, type MainProcess } from '../support/main-process.ts';
import { signIn, type Person } from '../support/people.ts';
import { freePort } from '../support/ports.ts';
import { tempDir } from '../support/test-server.ts';
import { finalState, follow, INTERNAL } from './support.ts';

let model: OpenAIFixture;
let dataDir: string;
let port: number;
let server: MainProcess | undefined;

async function startMain(): Promise<string> {
  server = await startMainProcess({
    port,
    dataDir,
    env: { LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_MODEL: 'fixture-model' },
  });
  return server.url;
}

beforeAll(() => {
  model = startOpenAIFixture();
  dataDir = tempDir('countersign-restart-');
  port = freePort();
});
afterAll(async () => {
  await server?.crash();
  await model.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const words = Array.from({ length: 60 }, (_, i) => `part${i} `);

test('killed mid-answer and restarted: the pending approval is intact, and the cut-off answer is retried to completion', async () => {
  const url = await startMain();
  const person: Person = await signIn(url, 'uma@countersign.dev');
  const api = person.client.api;
  await api.servers.connect.mutate({ serverId: INTERNAL });

  // Chat one stops at an approval.
  const waiting = await api.chats.create.mutate({ title: 'Waiting for approval', enabledServers: [INTERNAL] });
  const first = await follow(person, waiting.id);
  model.script({
    kind: 'tool_calls',
    calls: [{ name: 'countersign__notes_create', arguments: { title: 'After the restart', body: 'saved once' } }],
  });
  await api.chats.send.mutate({ chatId: waiting.id, text: 'Save a note for later.' });
  const asked = await first.recorder.until((e) => e.type === 'approval_requested');
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  first.unsubscribe();

  // Chat two is streaming when the process dies.
  const streaming = await api.chats.create.mutate({ title: 'Cut off', enabledServers: [] });
  const second = await follow(person, streaming.id);
  model.script({ kind: 'text', text: words.join(''), tokens: words, delayMs: 30 });
  await api.chats.send.mutate({ chatId: streaming.id, text: 'Tell me a long story.' });
  await second.recorder.until((e) => e.type === 'token' && e.delta === 'part3 ');
  await server!.crash();
  second.unsubscribe();
  await person.client.close();

  await startMain();
  // The session lives in the database, so the same cookie works against the new process.
  const after: CountersignClient = createCountersignClient({ url, headers: { cookie: person.cookie, origin: url } });
  const restarted = { ...person, client: after };
  try {
    const approval = (await after.api.chats.get.query({ chatId: waiting.id })).history;
    expect(approval.pendingApproval).toEqual(asked.approval);
    expect(approval.runState).toEqual({ status: 'awaiting_approval', interruptId: asked.approval.interruptId });

    const cut = (await after.api.chats.get.query({ chatId: streaming.id })).history;
    expect(cut.messages.map((m) => [m.role, m.text])).toEqual([['user', 'Tell me a long story.']]);
    expect(cut.runState).toEqual({ status: 'failed', reason: expect.stringMatching(/did not finish.*retry/i) });

    model.script({ kind: 'text', text: 'Saved, as you asked.' });
    const decided = await follow(restarted, waiting.id);
    await after.api.chats.decide.mutate({
      chatId: waiting.id,
      interruptId: asked.approval.interruptId,
      decisions: [{ toolCallId: asked.approval.items[0]!.toolCallId, action: 'approve' }],
    });
    expect(await finalState(decided.recorder)).toEqual({ status: 'idle' });
    decided.unsubscribe();
    const notes = await after.api.chats.get.query({ chatId: waiting.id });
    expect(notes.history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(notes.history.messages.at(-1)?.text).toBe('Saved, as you asked.');

    model.script({ kind: 'text', text: 'Once upon a time, and that is all.' });
    const retried = await follow(restarted, streaming.id);
    await after.api.chats.retry.mutate({ chatId: streaming.id });
    expect(await finalState(retried.recorder)).toEqual({ status: 'idle' });
    retried.unsubscribe();
    const story = (await after.api.chats.get.query({ chatId: streaming.id })).history;
    expect(story.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'Tell me a long story.'],
      ['assistant', 'Once upon a time, and that is all.'],
    ]);
    expect(story.runState).toEqual({ status: 'idle' });
  } finally {
    await after.close();
  }
}, 60_000);
