/**
 * A server's question in cluster mode: the call runs on instance A, and the person, reloading and
 * answering through instance B, sees the question and wakes the call on A (the answer travels
 * through the database and the control channel). The server speaks only 2026-07-28 and is a
 * process of this test, reached by every instance over HTTP.
 */
import { expect, test } from 'bun:test';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { startBookingServer } from '../fixtures/booking-server.ts';
import { finalState, follow } from '../faults/support.ts';
import { withCluster } from '../support/cluster.ts';
import { addServer, adminOn, modelEnv, on } from '../support/cluster-chats.ts';

test('a question asked during a call on A is shown and answered through B, and the call on A books with the answer', async () => {
  await using model = startOpenAIFixture();
  await using booking = startBookingServer();
  await withCluster({ instances: 2, env: modelEnv(model) }, async (cluster) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    const admin = await adminOn(cluster, a);
    const serverId = await addServer(admin, 'Booking', booking.url);
    const uma = await cluster.signIn('uma@countersign.dev');
    await on(uma, a).client.api.servers.connect.mutate({ serverId });
    const { id: chatId } = await on(uma, a).client.api.chats.create.mutate({ title: 'Dinner', enabledServers: [serverId] });

    const onA = await follow(on(uma, a), chatId);
    model.script({ kind: 'tool_calls', calls: [{ name: 'booking__book_table', arguments: { restaurant: 'Chez Nous' } }] });
    model.fallback({ kind: 'text', text: 'Booked.' });
    await on(uma, a).client.api.chats.send.mutate({ chatId, text: 'Book dinner.' });
    const approval = await onA.recorder.until((e) => e.type === 'approval_requested');
    if (approval.type !== 'approval_requested') throw new Error('unreachable');
    const toolCallId = approval.approval.items[0]!.toolCallId;
    await on(uma, a).client.api.chats.decide.mutate({
      chatId,
      interruptId: approval.approval.interruptId,
      decisions: [{ toolCallId, action: 'approve' }],
    });
    const asked = await onA.recorder.until((e: ChatStreamEvent) => e.type === 'question_asked');
    if (asked.type !== 'question_asked') throw new Error('unreachable');

    // Through B: the reload shows the question the call on A is waiting for, and B takes the answer.
    const throughB = on(uma, b).client.api;
    const reloaded = await throughB.chats.get.query({ chatId });
    expect(reloaded.history.pendingQuestions.map((q) => q.id)).toEqual([asked.question.id]);
    await throughB.chats.answerQuestion.mutate({
      chatId,
      questionId: asked.question.id,
      answer: { action: 'accept', content: { guests: 6, time: '21:00' } },
    });

    expect(await finalState(onA.recorder)).toEqual({ status: 'idle' });
    onA.unsubscribe();
    const finished = onA.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
    expect(finished?.type === 'tool_finished' && finished.card.result).toBe('Booked Chez Nous for 6 at 21:00.');
  });
}, 120_000);
