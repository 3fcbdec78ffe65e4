/**
 * Custom instructions (a person's, for every chat of theirs) and a chat's system prompt, through a
 * whole server and the typed client with the scripted OpenAI fixture as the model: set and read
 * back, bounded, nobody else's, and sent in the system message after Countersign's own text.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { LIMITS } from '../../shared/limits.ts';
import { type FaultKit, finalState, follow, newChat, startFaultKit } from '../faults/support.ts';
import { type Person, signIn } from '../support/people.ts';
import { refusal } from '../support/refusal.ts';

let kit: FaultKit;
let ulf: Person;

beforeAll(async () => {
  kit = await startFaultKit();
  ulf = await signIn(kit.server.url, 'ulf@countersign.dev');
});
afterAll(async () => {
  await ulf.client.close();
  await kit[Symbol.asyncDispose]();
});

/** Sends `text` in the chat, waits for the answer, and returns the system message the model was sent. */
async function systemMessageOf(chatId: string, text: string): Promise<string> {
  const { recorder, unsubscribe } = await follow(kit.person, chatId);
  const before = kit.model.requests.length;
  await kit.person.client.api.chats.send.mutate({ chatId, text });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  const [system] = kit.model.requests[before]!.body.messages;
  expect(system!.role).toBe('system');
  return system!.content as string;
}

describe('settings.setInstructions', () => {
  test('a person’s instructions start empty, are read back as set (trimmed), and clear when emptied; another person’s stay their own', async () => {
    const api = kit.person.client.api;
    expect(await api.settings.get.query()).toMatchObject({ customInstructions: '' });

    expect(await api.settings.setInstructions.mutate({ customInstructions: '  I am a nurse; answer in plain words.\n' })).toMatchObject({
      customInstructions: 'I am a nurse; answer in plain words.',
    });
    expect(await api.settings.get.query()).toMatchObject({ customInstructions: 'I am a nurse; answer in plain words.' });
    expect(await ulf.client.api.settings.get.query()).toMatchObject({ customInstructions: '' });

    await api.settings.setInstructions.mutate({ customInstructions: '' });
    expect(await api.settings.get.query()).toMatchObject({ customInstructions: '' });
  });

  test('up to the limit is kept; one character more is refused, saying how long and what the limit is', async () => {
    const api = kit.person.client.api;
    const longest = 'x'.repeat(LIMITS.instructions);
    expect((await api.settings.setInstructions.mutate({ customInstructions: longest })).customInstructions).toBe(longest);

    expect(await refusal(api.settings.setInstructions.mutate({ customInstructions: `${longest}y` }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'Your instructions are 8,001 characters; the limit is 8,000.',
    });
    expect((await api.settings.get.query()).customInstructions).toBe(longest);
    await api.settings.setInstructions.mutate({ customInstructions: '' });
  });
});

describe('chats.setSystemPrompt', () => {
  test('is read back by chats.get and the list, and reaches another tab following the chat as chat_updated', async () => {
    const api = kit.person.client.api;
    const chat = await newChat(kit.person);
    expect(chat.systemPrompt).toBe('');
    const { recorder, unsubscribe } = await follow(kit.person, chat.id);

    const updated = await api.chats.setSystemPrompt.mutate({ chatId: chat.id, systemPrompt: 'Reply in French.' });
    const event = await recorder.until((e) => e.type === 'chat_updated');
    unsubscribe();

    expect(updated.systemPrompt).toBe('Reply in French.');
    expect(event).toMatchObject({ type: 'chat_updated', chat: { id: chat.id, systemPrompt: 'Reply in French.' } });
    expect((await api.chats.get.query({ chatId: chat.id })).chat.systemPrompt).toBe('Reply in French.');
    expect((await api.chats.list.query({})).items.find((c) => c.id === chat.id)?.systemPrompt).toBe('Reply in French.');
  });

  test('over the limit is refused with a sentence, and the prompt stays as it was', async () => {
    const api = kit.person.client.api;
    const chat = await newChat(kit.person);
    await api.chats.setSystemPrompt.mutate({ chatId: chat.id, systemPrompt: 'Be brief.' });

    expect(await refusal(api.chats.setSystemPrompt.mutate({ chatId: chat.id, systemPrompt: 'x'.repeat(LIMITS.instructions + 1) }))).toEqual(
      {
        code: 'BAD_REQUEST',
        message: 'The chat’s instructions are 8,001 characters; the limit is 8,000.',
      },
    );
    expect((await api.chats.get.query({ chatId: chat.id })).chat.systemPrompt).toBe('Be brief.');
  });

  test('another person’s chat is not found, and its prompt is untouched', async () => {
    const theirs = await newChat(ulf);
    await ulf.client.api.chats.setSystemPrompt.mutate({ chatId: theirs.id, systemPrompt: 'Ulf’s own.' });

    expect(
      await refusal(kit.person.client.api.chats.setSystemPrompt.mutate({ chatId: theirs.id, systemPrompt: 'Hijacked.' })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await ulf.client.api.chats.get.query({ chatId: theirs.id })).chat.systemPrompt).toBe('Ulf’s own.');
  });
});

describe('what the model is sent', () => {
  test('Countersign’s own text first, then the person’s instructions, then this chat’s; each only while set, as set at that turn', async () => {
    const api = kit.person.client.api;
    const chat = await newChat(kit.person);
    const other = await newChat(kit.person);

    const plain = await systemMessageOf(chat.id, 'Hello.');
    expect(plain).toStartWith('You are the assistant in Countersign');
    expect(plain).not.toContain('instructions:');

    await api.settings.setInstructions.mutate({ customInstructions: 'I am a nurse; answer in plain words.' });
    await api.chats.setSystemPrompt.mutate({ chatId: chat.id, systemPrompt: 'Reply in French.' });
    const both = await systemMessageOf(chat.id, 'What is a fever?');
    expect(both).toStartWith(plain);
    expect(both.slice(plain.length)).toBe(
      "\n\nThe person's instructions:\nI am a nurse; answer in plain words.\n\nThis chat's instructions:\nReply in French.",
    );

    // Another chat of the same person has their instructions, not this chat's.
    expect((await systemMessageOf(other.id, 'Hello.')).slice(plain.length)).toBe(
      "\n\nThe person's instructions:\nI am a nurse; answer in plain words.",
    );

    // Cleared, they are gone from the very next turn: nothing of them was kept in the chat's history.
    await api.settings.setInstructions.mutate({ customInstructions: '' });
    expect((await systemMessageOf(chat.id, 'And a cold?')).slice(plain.length)).toBe("\n\nThis chat's instructions:\nReply in French.");
    await api.chats.setSystemPrompt.mutate({ chatId: chat.id, systemPrompt: '' });
    expect(await systemMessageOf(chat.id, 'Thanks.')).toBe(plain);
  });

  test('another person’s instructions never reach this person’s model requests', async () => {
    await ulf.client.api.settings.setInstructions.mutate({ customInstructions: 'Ulf likes haiku.' });
    const chat = await newChat(kit.person);
    expect(await systemMessageOf(chat.id, 'Hello.')).not.toContain('haiku');
  });
});
