/**
 * A server asks the person for input in the middle of a tool call (MCP elicitation). The seeded
 * server-everything over stdio asks with a form of every field kind; the question appears in the
 * chat, is still there on reload, refuses an answer that does not fit the form, takes the
 * person's answer from their own chat only, and the server gets it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { EVERYTHING_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import type { FormElicitation } from '../../shared/questions.ts';
import { finalState, follow, newChat, startFaultKit, type FaultKit } from '../faults/support.ts';
import { signIn, type Person } from '../support/people.ts';

let kit: FaultKit;
let other: Person;
beforeAll(async () => {
  kit = await startFaultKit({}, 'uma@countersign.dev');
  // Calls run without asking: the server's question, not the approval, is what these tests are about.
  await kit.server.catalogue.update(EVERYTHING_SERVER_ID, { trusted: true, defaultPolicy: 'auto' });
  await kit.person.client.api.servers.connect.mutate({ serverId: EVERYTHING_SERVER_ID });
  // Each test scripts only the call; the answer after it (or none, when a test stops the run) is this.
  kit.model.fallback({ kind: 'text', text: 'Done.' });
  other = await signIn(kit.server.url, 'ulf@countersign.dev');
});
afterAll(async () => {
  await other.client.close();
  await kit[Symbol.asyncDispose]();
});

const asked = (e: ChatStreamEvent) => e.type === 'question_asked';

/** A chat whose model calls server-everything's elicitation tool, followed until the server asks. */
async function askedForm() {
  const chat = await newChat(kit.person, [EVERYTHING_SERVER_ID]);
  const followed = await follow(kit.person, chat.id);
  kit.model.script({ kind: 'tool_calls', calls: [{ name: 'everything__trigger-elicitation-request', arguments: {} }] });
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Ask me for my details.' });
  const event = await followed.recorder.until(asked);
  if (event.type !== 'question_asked') throw new Error('unreachable');
  return { chat, followed, question: event.question as FormElicitation };
}

const valid = {
  name: 'Uma Example',
  check: true,
  email: 'uma@example.com',
  integer: 7,
  untitledSingleSelectEnum: 'Joey',
  untitledMultipleSelectEnum: ['Piano', 'Drums'],
};

describe('a form the server asks for', () => {
  test('appears in the chat under its call, survives a reload, and the accepted values reach the server', async () => {
    const { chat, followed, question } = await askedForm();
    expect(question).toMatchObject({
      kind: 'elicitation',
      mode: 'form',
      serverId: EVERYTHING_SERVER_ID,
      serverName: 'Everything',
      message: 'Please provide inputs for the following fields:',
      requestedSchema: { type: 'object', properties: { integer: { type: 'integer', minimum: 1, maximum: 100, default: 42 } } },
    });
    const [started] = followed.recorder.events.flatMap((e) => (e.data.type === 'tool_started' ? [e.data] : []));
    expect(question.toolCallId).toBe(started!.toolCallId);

    // A reload shows the same question, waiting.
    const reloaded = await kit.person.client.api.chats.get.query({ chatId: chat.id });
    expect(reloaded.history.pendingQuestions).toEqual([question]);

    await kit.person.client.api.chats.answerQuestion.mutate({
      chatId: chat.id,
      questionId: question.id,
      answer: { action: 'accept', content: valid },
    });
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();

    const settled = followed.recorder.events.find((e) => e.data.type === 'question_settled')?.data;
    expect(settled).toEqual({ type: 'question_settled', threadId: chat.threadId, questionId: question.id, outcome: 'accepted' });
    const finished = followed.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
    if (finished?.type !== 'tool_finished') throw new Error('the call did not finish');
    expect(finished.card.status).toBe('succeeded');
    expect(finished.card.result).toContain('Uma Example');
    expect(finished.card.result).toContain('uma@example.com');
    // The server's defaults were applied to what the person left alone (SEP-1034).
    expect(finished.card.result).toContain('It was a dark and stormy night.');
    expect((await kit.person.client.api.chats.get.query({ chatId: chat.id })).history.pendingQuestions).toEqual([]);
  });

  test('an answer that does not fit the form is refused, saying why, and the question still waits', async () => {
    const { chat, followed, question } = await askedForm();
    const refused = kit.person.client.api.chats.answerQuestion.mutate({
      chatId: chat.id,
      questionId: question.id,
      answer: { action: 'accept', content: { ...valid, integer: 500, email: 'not an address', surprise: 'x' } },
    });
    const error = await refused.then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(error).toStartWith('The answer does not fit the form: ');
    expect(error).toContain('Integer must be at most 100.');
    expect(error).toContain('String with email format must be an email address');
    expect(error).toContain('The form has no field “surprise”.');
    expect((await kit.person.client.api.chats.get.query({ chatId: chat.id })).history.pendingQuestions).toEqual([question]);

    await kit.person.client.api.chats.answerQuestion.mutate({ chatId: chat.id, questionId: question.id, answer: { action: 'decline' } });
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    const finished = followed.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
    expect(finished?.type === 'tool_finished' && finished.card.result).toMatch(/declin/i);
    // Settled once: a second answer is refused.
    const again = kit.person.client.api.chats.answerQuestion.mutate({
      chatId: chat.id,
      questionId: question.id,
      answer: { action: 'cancel' },
    });
    await expect(again).rejects.toThrow(/no longer waiting/);
  });

  test('another person can neither see nor answer it', async () => {
    const { chat, followed, question } = await askedForm();
    const theirs = other.client.api.chats.answerQuestion.mutate({ chatId: chat.id, questionId: question.id, answer: { action: 'cancel' } });
    await expect(theirs).rejects.toThrow(/No such chat/);
    await expect(other.client.api.chats.get.query({ chatId: chat.id })).rejects.toThrow(/No such chat/);
    // Nor can a question be answered through another chat of the asker's.
    const elsewhere = await newChat(kit.person);
    const wrongChat = kit.person.client.api.chats.answerQuestion.mutate({
      chatId: elsewhere.id,
      questionId: question.id,
      answer: { action: 'cancel' },
    });
    await expect(wrongChat).rejects.toThrow(/No such question in this chat/);

    await kit.person.client.api.chats.answerQuestion.mutate({ chatId: chat.id, questionId: question.id, answer: { action: 'cancel' } });
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
  });

  test('stopping the chat withdraws the question, in every tab', async () => {
    const { chat, followed, question } = await askedForm();
    await kit.person.client.api.chats.stop.mutate({ chatId: chat.id });
    const withdrawn = await followed.recorder.until((e) => e.type === 'question_settled');
    expect(withdrawn).toMatchObject({ questionId: question.id, outcome: 'withdrawn' });
    await finalState(followed.recorder);
    followed.unsubscribe();
    const late = kit.person.client.api.chats.answerQuestion.mutate({
      chatId: chat.id,
      questionId: question.id,
      answer: { action: 'cancel' },
    });
    await expect(late).rejects.toThrow(/no longer waiting/);
  });
});

describe('a link the server asks the person to open', () => {
  async function askedLink(url: string) {
    const chat = await newChat(kit.person, [EVERYTHING_SERVER_ID]);
    const followed = await follow(kit.person, chat.id);
    kit.model.script({
      kind: 'tool_calls',
      calls: [{ name: 'everything__trigger-url-elicitation', arguments: { url, message: 'Approve the payment.' } }],
    });
    await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Pay the invoice.' });
    return { chat, followed };
  }

  test('is shown with its full domain, and the server hears when the person has opened it', async () => {
    const { chat, followed } = await askedLink('https://pay.example.com/consent?invoice=42');
    const event = await followed.recorder.until(asked);
    if (event.type !== 'question_asked') throw new Error('unreachable');
    expect(event.question).toMatchObject({
      kind: 'elicitation',
      mode: 'url',
      message: 'Approve the payment.',
      url: 'https://pay.example.com/consent?invoice=42',
      domain: 'pay.example.com',
    });
    await kit.person.client.api.chats.answerQuestion.mutate({
      chatId: chat.id,
      questionId: event.question.id,
      answer: { action: 'accept' },
    });
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    const finished = followed.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
    expect(finished?.type === 'tool_finished' && finished.card.status).toBe('succeeded');
  });

  test('a link that is not http(s) is declined without being shown', async () => {
    const { followed } = await askedLink('javascript:alert(document.cookie)');
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    expect(followed.recorder.types()).not.toContain('question_asked');
    const finished = followed.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
    expect(finished?.type === 'tool_finished' && finished.card.result).toMatch(/declin/i);
  });
});

describe('a 2025 server that refuses a call until a link is opened (-32042)', () => {
  async function refusedUntilOpened() {
    const chat = await newChat(kit.person, [EVERYTHING_SERVER_ID]);
    const followed = await follow(kit.person, chat.id);
    kit.model.script({
      kind: 'tool_calls',
      calls: [{ name: 'everything__trigger-url-elicitation', arguments: { url: 'https://bank.example.com/pay', errorPath: true } }],
    });
    await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: 'Pay.' });
    const questions = () => followed.recorder.events.flatMap((e) => (e.data.type === 'question_asked' ? [e.data.question] : []));
    const nth = async (n: number) => {
      await followed.recorder.until(() => questions().length >= n);
      return questions()[n - 1]!;
    };
    return { chatId: chat.id, followed, nth };
  }

  test('the person opens the link it names, and the call is tried again', async () => {
    const { chatId, followed, nth } = await refusedUntilOpened();
    const prerequisite = await nth(1);
    expect(prerequisite).toMatchObject({ kind: 'elicitation', mode: 'url' });
    await kit.person.client.api.chats.answerQuestion.mutate({ chatId, questionId: prerequisite.id, answer: { action: 'accept' } });
    // Tried again, the call goes ahead and asks for its own link the usual way.
    const own = await nth(2);
    expect(own).toMatchObject({ mode: 'url', url: 'https://bank.example.com/pay', domain: 'bank.example.com' });
    await kit.person.client.api.chats.answerQuestion.mutate({ chatId, questionId: own.id, answer: { action: 'accept' } });
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    const finished = followed.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
    expect(finished?.type === 'tool_finished' && finished.card.status).toBe('succeeded');
  });

  test('declined, the call is not tried again and says why', async () => {
    const { chatId, followed, nth } = await refusedUntilOpened();
    const prerequisite = await nth(1);
    await kit.person.client.api.chats.answerQuestion.mutate({ chatId, questionId: prerequisite.id, answer: { action: 'decline' } });
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();
    const finished = followed.recorder.events.find((e) => e.data.type === 'tool_finished')?.data;
    expect(finished?.type === 'tool_finished' && finished.card).toMatchObject({
      status: 'failed',
      result: 'Tool failed (protocol): Everything needs a link opened before this call, and it was not opened',
    });
  });
});
