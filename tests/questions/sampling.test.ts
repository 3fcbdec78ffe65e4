/**
 * A server asks to use the chat's model (MCP sampling), as its admin's policy allows: the person
 * approves the request, the chat's model writes the reply (capped at the admin's token limit),
 * and the person approves the reply before it goes back. Off, the server is not offered sampling
 * at all; allowed, it runs without asking.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { EVERYTHING_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import type { SamplingPolicy } from '../../db/schema.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import type { SamplingQuestion } from '../../shared/questions.ts';
import { finalState, follow, type Followed, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';

let kit: FaultKit;
beforeAll(async () => {
  kit = await startFaultKit();
  await kit.server.catalogue.update(EVERYTHING_SERVER_ID, {
    trusted: true,
    defaultPolicy: 'auto',
    samplingPolicy: 'ask',
    samplingMaxTokens: 50,
  });
  await kit.person.client.api.servers.connect.mutate({ serverId: EVERYTHING_SERVER_ID });
  // After the scripted tool call: the server's sampling request, or the chat's answer once the call is done.
  kit.model.fallback((body) => ({ kind: 'text', text: isSampling(body) ? 'Steam curls from the cup.' : 'The server has its haiku.' }));
});
afterAll(() => kit[Symbol.asyncDispose]());

async function setPolicy(samplingPolicy: SamplingPolicy) {
  await kit.server.catalogue.update(EVERYTHING_SERVER_ID, { samplingPolicy });
  // The admin's edit reconnects the person's server with the new capabilities.
  await kit.person.client.api.servers.connect.mutate({ serverId: EVERYTHING_SERVER_ID });
}

/** The call's sampling request reaches the scripted model as a request whose system prompt is the server's. */
const isSampling = (body: { messages: { role: string; content: unknown }[] }) =>
  body.messages.some((m) => m.role === 'system' && m.content === 'You are a helpful test server.');

async function askToSample(): Promise<{ chatId: string; followed: Followed }> {
  const chat = await newChat(kit.person, [EVERYTHING_SERVER_ID]);
  const followed = await follow(kit.person, chat.id);
  kit.model.script({
    kind: 'tool_calls',
    calls: [{ name: 'everything__trigger-sampling-request', arguments: { prompt: 'a haiku about tea', maxTokens: 400 } }],
  });
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Let the server write a haiku.' });
  return { chatId: chat.id, followed };
}

const askedAt = (stage: SamplingQuestion['stage']) => (e: ChatStreamEvent) =>
  e.type === 'question_asked' && e.question.kind === 'sampling' && e.question.stage === stage;

async function question(followed: Followed, stage: SamplingQuestion['stage']): Promise<SamplingQuestion> {
  const event = await followed.recorder.until(askedAt(stage));
  if (event.type !== 'question_asked' || event.question.kind !== 'sampling') throw new Error('unreachable');
  return event.question;
}

function finishedCard(followed: Followed) {
  const finished = followed.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
  if (finished?.type !== 'tool_finished') throw new Error('the call did not finish');
  return finished.card;
}

describe('sampling, when the admin says to ask', () => {
  test('the person approves the request, then the reply, and the server gets the reply', async () => {
    const { chatId, followed } = await askToSample();
    const request = await question(followed, 'request');
    expect(request).toMatchObject({
      serverName: 'Everything',
      messages: [{ role: 'user', text: 'Resource trigger-sampling-request context: a haiku about tea' }],
      systemPrompt: 'You are a helpful test server.',
      // The server asked for 400; the admin's cap is 50.
      maxTokens: 50,
    });
    const modelCalls = kit.model.requests.length;
    await kit.person.client.api.chats.answerQuestion.mutate({ chatId, questionId: request.id, answer: { action: 'approve' } });

    const reply = await question(followed, 'result');
    expect(reply.result).toMatchObject({ text: 'Steam curls from the cup.', model: expect.any(String) });
    const sampled = kit.model.requests.slice(modelCalls).find((r) => isSampling(r.body));
    expect(sampled?.body).toMatchObject({ max_tokens: 50 });
    await kit.person.client.api.chats.answerQuestion.mutate({ chatId, questionId: reply.id, answer: { action: 'approve' } });

    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    const card = finishedCard(followed);
    expect(card.status).toBe('succeeded');
    expect(card.result).toContain('Steam curls from the cup.');
  });

  test('a rejected request never reaches the model, and the server is told the person said no', async () => {
    const { chatId, followed } = await askToSample();
    const request = await question(followed, 'request');
    const modelCalls = kit.model.requests.length;
    await kit.person.client.api.chats.answerQuestion.mutate({ chatId, questionId: request.id, answer: { action: 'reject' } });
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    expect(kit.model.requests.slice(modelCalls).some((r) => isSampling(r.body))).toBe(false);
    expect(finishedCard(followed).result).toContain('The person did not let Everything use the model.');
  });

  test('a rejected reply is not sent', async () => {
    const { chatId, followed } = await askToSample();
    const request = await question(followed, 'request');
    await kit.person.client.api.chats.answerQuestion.mutate({ chatId, questionId: request.id, answer: { action: 'approve' } });
    const reply = await question(followed, 'result');
    await kit.person.client.api.chats.answerQuestion.mutate({ chatId, questionId: reply.id, answer: { action: 'reject' } });
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    const card = finishedCard(followed);
    expect(card.result).not.toContain('Steam curls');
    expect(card.result).toContain("The person did not send the model's reply to Everything.");
  });
});

describe('the admin’s other policies', () => {
  test('allowed: the reply goes back without asking', async () => {
    await setPolicy('allowed');
    const { followed } = await askToSample();
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    expect(followed.recorder.types()).not.toContain('question_asked');
    expect(finishedCard(followed).result).toContain('Steam curls from the cup.');
  });

  test('off: the server is not offered sampling, so its sampling tool is not there to call', async () => {
    await setPolicy('off');
    const servers = await kit.person.client.api.servers.list.query();
    const everything = servers.find((s) => s.id === EVERYTHING_SERVER_ID)!;
    expect(everything.tools.map((t) => t.name)).toContain('trigger-elicitation-request');
    expect(everything.tools.map((t) => t.name)).not.toContain('trigger-sampling-request');
  });
});
