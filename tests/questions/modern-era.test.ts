/**
 * The same questions from a server that speaks only the 2026-07-28 revision, where a server asks
 * through `input_required` results rather than requests of its own: the form and the sampling
 * request appear in the chat alike, and the answers reach the server in the retried call.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { type BookingServer, startBookingServer } from '../fixtures/booking-server.ts';
import { finalState, follow, type Followed, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';

let kit: FaultKit;
let booking: BookingServer;
let serverId: string;
beforeAll(async () => {
  booking = startBookingServer();
  kit = await startFaultKit();
  const entry = await kit.server.catalogue.create({
    name: 'Booking',
    transport: 'streamable-http',
    url: booking.url,
    trusted: true,
    defaultPolicy: 'auto',
    samplingPolicy: 'ask',
  });
  serverId = entry.id;
  const state = await kit.person.client.api.servers.connect.mutate({ serverId });
  expect(state).toMatchObject({ connection: 'connected' });
  kit.model.fallback((body) => ({
    kind: 'text',
    text: body.messages.some((m) => m.content === 'You write toasts.') ? 'To long friendships!' : 'All done.',
  }));
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
  await booking[Symbol.asyncDispose]();
});

async function calling(name: string, args: Record<string, unknown>): Promise<{ chatId: string; followed: Followed }> {
  const chat = await newChat(kit.person, [serverId]);
  const followed = await follow(kit.person, chat.id);
  kit.model.script({ kind: 'tool_calls', calls: [{ name: `booking__${name}`, arguments: args }] });
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: `Use ${name}.` });
  return { chatId: chat.id, followed };
}

const asked = (e: ChatStreamEvent) => e.type === 'question_asked';
const answer = (chatId: string, questionId: string, action: 'accept' | 'decline' | 'approve', content?: Record<string, string | number>) =>
  kit.person.client.api.chats.answerQuestion.mutate({
    chatId,
    questionId,
    answer: content ? { action: 'accept', content } : ({ action } as never),
  });

function result(followed: Followed): string | undefined {
  const finished = followed.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
  return finished?.type === 'tool_finished' ? finished.card.result : undefined;
}

test('a form asked through input_required is answered in the chat, and the retried call books with it', async () => {
  const { chatId, followed } = await calling('book_table', { restaurant: 'Chez Nous' });
  const event = await followed.recorder.until(asked);
  if (event.type !== 'question_asked' || event.question.kind !== 'elicitation' || event.question.mode !== 'form')
    throw new Error('not a form');
  expect(event.question.message).toBe('Booking Chez Nous: for how many, and when?');
  expect(event.question.requestedSchema.properties.time).toMatchObject({ type: 'string', enum: ['18:00', '19:30', '21:00'] });
  await answer(chatId, event.question.id, 'accept', { guests: 4, time: '19:30' });
  expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
  followed.unsubscribe();
  expect(result(followed)).toBe('Booked Chez Nous for 4 at 19:30.');
});

test('a declined form reaches the server as declined', async () => {
  const { chatId, followed } = await calling('book_table', { restaurant: 'Chez Nous' });
  const event = await followed.recorder.until(asked);
  if (event.type !== 'question_asked') throw new Error('unreachable');
  await answer(chatId, event.question.id, 'decline');
  expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
  followed.unsubscribe();
  expect(result(followed)).toBe('No booking made: the person chose decline.');
});

test('a sampling request through input_required is approved twice and the server gets the model’s reply', async () => {
  const { chatId, followed } = await calling('write_toast', { occasion: 'a wedding' });
  const request = await followed.recorder.until(asked);
  if (request.type !== 'question_asked' || request.question.kind !== 'sampling') throw new Error('not a sampling request');
  expect(request.question).toMatchObject({ stage: 'request', systemPrompt: 'You write toasts.', maxTokens: 300 });
  await answer(chatId, request.question.id, 'approve');
  const reply = await followed.recorder.until((e) => e.type === 'question_asked' && e.question.id !== request.question.id);
  if (reply.type !== 'question_asked' || reply.question.kind !== 'sampling') throw new Error('not the reply');
  expect(reply.question.result?.text).toBe('To long friendships!');
  await answer(chatId, reply.question.id, 'approve');
  expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
  followed.unsubscribe();
  expect(result(followed)).toBe('Toast: To long friendships!');
});
