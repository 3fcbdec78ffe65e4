/**
 * The process dies (SIGKILL) while a 2026-07-28 server's question waits in a chat. Nothing of the
 * call has run on the server (it asked through an `input_required` round, and holds nothing), so
 * after the restart the cut-off chat is retried and the server asks again; the question left
 * open by the dead process is withdrawn, and the answer books the table. The server runs as
 * `bun server/main.ts`, as in production.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { CreateServer } from '../../admin/src/api/operations.ts';
import { createCountersignClient } from '../../shared/client.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { signInAdmin } from '../admin/support.ts';
import { type BookingServer, startBookingServer } from '../fixtures/booking-server.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { finalState, follow } from '../faults/support.ts';
import { type MainProcess, startMainProcess } from '../support/main-process.ts';
import { signIn } from '../support/people.ts';
import { freePort } from '../support/ports.ts';
import { tempDir } from '../support/test-server.ts';

let model: OpenAIFixture;
let booking: BookingServer;
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
  booking = startBookingServer();
  dataDir = tempDir('countersign-question-restart-');
  port = freePort();
});
afterAll(async () => {
  await server?.crash();
  await booking[Symbol.asyncDispose]();
  await model.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const asked = (e: ChatStreamEvent) => e.type === 'question_asked';

test('killed while a round-trip question waits: Retry asks again, the stale question is withdrawn, and the answer books', async () => {
  const url = await startMain();
  const ada = await signInAdmin(url);
  const { createServer } = await ada.admin(CreateServer, {
    input: { name: 'Booking', transport: 'STREAMABLE_HTTP', url: booking.url, trusted: true, defaultPolicy: 'AUTO' },
  });
  await ada.client.close();
  const uma = await signIn(url, 'uma@countersign.dev');
  await uma.client.api.servers.connect.mutate({ serverId: createServer.id });
  const chat = await uma.client.api.chats.create.mutate({ title: 'Dinner', enabledServers: [createServer.id] });
  const before = await follow(uma, chat.id);
  model.script({ kind: 'tool_calls', calls: [{ name: 'booking__book_table', arguments: { restaurant: 'Chez Nous' } }] });
  model.fallback({ kind: 'text', text: 'Booked.' });
  await uma.client.api.chats.send.mutate({ chatId: chat.id, text: 'Book dinner.' });
  const first = await before.recorder.until(asked);
  if (first.type !== 'question_asked') throw new Error('unreachable');
  await server!.crash();
  before.unsubscribe();
  await uma.client.close();

  await startMain();
  const after = createCountersignClient({ url, headers: { cookie: uma.cookie, origin: url } });
  try {
    const cut = (await after.api.chats.get.query({ chatId: chat.id })).history;
    expect(cut.runState).toEqual({ status: 'failed', reason: expect.stringMatching(/did not finish.*retry/i) });
    expect(cut.pendingQuestions).toEqual([]);

    const retried = await follow({ ...uma, client: after }, chat.id);
    await after.api.chats.retry.mutate({ chatId: chat.id });
    const again = await retried.recorder.until((e) => e.type === 'question_asked');
    if (again.type !== 'question_asked') throw new Error('unreachable');
    expect(again.question.id).not.toBe(first.question.id);
    expect(again.question).toMatchObject({ toolCallId: first.question.toolCallId, message: 'Booking Chez Nous: for how many, and when?' });
    // The one the dead process left open is withdrawn in every tab, and only the new one waits.
    expect(retried.recorder.events.map((e) => e.data)).toContainEqual(
      expect.objectContaining({ type: 'question_settled', questionId: first.question.id, outcome: 'withdrawn' }),
    );
    expect((await after.api.chats.get.query({ chatId: chat.id })).history.pendingQuestions.map((q) => q.id)).toEqual([again.question.id]);

    await after.api.chats.answerQuestion.mutate({
      chatId: chat.id,
      questionId: again.question.id,
      answer: { action: 'accept', content: { guests: 2, time: '18:00' } },
    });
    expect(await finalState(retried.recorder)).toEqual({ status: 'idle' });
    retried.unsubscribe();
    const finished = retried.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
    expect(finished?.type === 'tool_finished' && finished.card).toMatchObject({
      status: 'succeeded',
      result: 'Booked Chez Nous for 2 at 18:00.',
    });
  } finally {
    await after.close();
  }
}, 60_000);
