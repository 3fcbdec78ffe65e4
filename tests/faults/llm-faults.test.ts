/**
 * The model misbehaving, seen through the API: errors, a reply that cannot be read, and a model
 * that goes silent. Each ends the run in a state a person can read, keeps their message, and
 * leaves the chat usable. LLM_TIMEOUT_MS is short here so a silent model is noticed in a second.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { finalState, follow, newChat, startFaultKit, type FaultKit } from './support.ts';

let kit: FaultKit;
beforeAll(async () => {
  kit = await startFaultKit({ LLM_TIMEOUT_MS: '1000' });
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

/** Sends one message in a new chat and returns the run's final state and the chat's history. */
async function turn(text: string) {
  const api = kit.person.client.api;
  const chat = await newChat(kit.person);
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  await api.chats.send.mutate({ chatId: chat.id, text });
  const state = await finalState(recorder);
  unsubscribe();
  const { history } = await api.chats.get.query({ chatId: chat.id });
  return { chat, state, history, recorder };
}

async function answersAgain(chatId: string) {
  const api = kit.person.client.api;
  kit.model.script({ kind: 'text', text: 'Back to normal.' });
  const { recorder, unsubscribe } = await follow(kit.person, chatId);
  await api.chats.send.mutate({ chatId, text: 'Are you there?' });
  const state = await finalState(recorder);
  unsubscribe();
  expect(state).toEqual({ status: 'idle' });
  const { history } = await api.chats.get.query({ chatId });
  return history.messages.at(-1);
}

test('a model answering 500 every time: the run fails saying so, the message is kept, the chat goes on', async () => {
  // Retry-After: 0 lets the retries happen at once instead of after a backoff.
  const failing = { kind: 'error', status: 500, message: 'upstream exploded', headers: { 'retry-after': '0' } } as const;
  kit.model.script(failing, failing, failing, failing);
  const { chat, state, history } = await turn('Hello?');

  expect(state).toEqual({ status: 'failed', reason: expect.stringMatching(/HTTP 500.*Your message is kept/) });
  expect(history.messages.map((m) => [m.role, m.text])).toEqual([['user', 'Hello?']]);
  expect(history.runState).toEqual(state);
  expect(await answersAgain(chat.id)).toMatchObject({ role: 'assistant', text: 'Back to normal.' });
});

test('a 429 and then an answer: the person only sees the answer', async () => {
  kit.model.script({ kind: 'error', status: 429, headers: { 'retry-after': '0' } }, { kind: 'text', text: 'Sorry for the wait.' });
  const { state, history } = await turn('Busy?');

  expect(state).toEqual({ status: 'idle' });
  expect(history.messages.map((m) => m.text)).toEqual(['Busy?', 'Sorry for the wait.']);
});

test('a malformed stream: the run fails saying the reply could not be read', async () => {
  kit.model.script({ kind: 'malformed' });
  const { chat, state, history } = await turn('Say something');

  expect(state).toEqual({ status: 'failed', reason: expect.stringContaining('could not be read') });
  expect(history.messages.map((m) => m.role)).toEqual(['user']);
  expect(await answersAgain(chat.id)).toMatchObject({ text: 'Back to normal.' });
});

test('a model that sends nothing for a minute: the run fails once the silence limit passes, and retry answers', async () => {
  kit.model.script({ kind: 'delay', ms: 60_000, next: { kind: 'text', text: 'Too late.' } });
  const { chat, state, history } = await turn('Anyone home?');

  expect(state).toEqual({
    status: 'failed',
    reason: expect.stringMatching(/stopped answering \(the language model sent nothing for 1 s\).*Your message is kept/),
  });
  expect(history.messages.map((m) => m.text)).toEqual(['Anyone home?']);
  // A silent model is not retried behind the person's back: one request, then the failure.
  expect(kit.model.requests.filter((r) => JSON.stringify(r.body.messages).includes('Anyone home?'))).toHaveLength(1);

  kit.model.script({ kind: 'text', text: 'Here now.' });
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  await kit.person.client.api.chats.retry.mutate({ chatId: chat.id });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  const after = await kit.person.client.api.chats.get.query({ chatId: chat.id });
  expect(after.history.messages.map((m) => m.text)).toEqual(['Anyone home?', 'Here now.']);
});

test('a slow but steady stream, longer in all than the silence limit: every piece arrives and the answer is whole', async () => {
  // Each pause is under the 1 s limit; the answer takes about 2 s in all.
  const tokens = ['Slow', ' and', ' steady', ' wins', ' the', ' race.'];
  kit.model.script({ kind: 'text', text: tokens.join(''), tokens, delayMs: 400 });
  const { state, history } = await turn('Take your time');

  expect(state).toEqual({ status: 'idle' });
  expect(history.messages.map((m) => m.text)).toEqual(['Take your time', 'Slow and steady wins the race.']);
});

test('a stream that stalls after it started: the run fails the same way instead of hanging', async () => {
  // Headers and the first chunk go out at once; the next token would come a minute later.
  kit.model.script({ kind: 'text', text: 'Never finished', tokens: ['Never', ' finished'], delayMs: 60_000 });
  const { chat, state } = await turn('Start talking');

  expect(state).toEqual({ status: 'failed', reason: expect.stringContaining('stopped answering') });
  expect(await answersAgain(chat.id)).toMatchObject({ text: 'Back to normal.' });
});
