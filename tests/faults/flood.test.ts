/**
 * One person firing 100 sends at once across a few chats: most are refused with
 * TOO_MANY_REQUESTS (or CONFLICT while a chat is answering), and what was accepted ran cleanly:
 * every chat's history is whole question/answer pairs, one per accepted send.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import { eventually } from '../support/eventually.ts';
import { newChat, startFaultKit, type FaultKit } from './support.ts';

let kit: FaultKit;
beforeAll(async () => {
  kit = await startFaultKit();
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

const SENDS = 100;
const CHATS = 4;

function codeOf(outcome: PromiseSettledResult<unknown>): string {
  if (outcome.status === 'fulfilled') return 'accepted';
  return outcome.reason instanceof TRPCClientError ? String(outcome.reason.data?.code) : String(outcome.reason);
}

test('100 concurrent sends from one person: rate limited, nothing interleaved or lost', async () => {
  const api = kit.person.client.api;
  kit.model.fallback({ kind: 'text', text: 'Noted.' });
  const chats = await Promise.all(Array.from({ length: CHATS }, () => newChat(kit.person)));

  const outcomes = await Promise.allSettled(
    Array.from({ length: SENDS }, (_, i) => api.chats.send.mutate({ chatId: chats[i % CHATS]!.id, text: `message ${i}` })),
  );
  const codes = outcomes.map(codeOf);
  expect(codes.every((c) => ['accepted', 'TOO_MANY_REQUESTS', 'CONFLICT'].includes(c))).toBe(true);
  // The burst allowance is 10 sends; everything past it is refused as too many.
  expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(SENDS - 11);
  const refusal = outcomes.find((o) => o.status === 'rejected' && codeOf(o) === 'TOO_MANY_REQUESTS');
  expect(refusal?.status === 'rejected' && (refusal.reason as Error).message).toMatch(/Too many messages: wait \d+ s/);
  const accepted = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
  expect(accepted.length).toBeGreaterThanOrEqual(1);

  for (const [index, chat] of chats.entries()) {
    const history = await eventually(async () => {
      const { history } = await api.chats.get.query({ chatId: chat.id });
      return history.runState.status === 'idle' ? history : undefined;
    }, `chat ${index} to finish answering`);
    const sentHere = accepted.filter((i) => i % CHATS === index).map((i) => `message ${i}`);
    expect(history.messages.map((m) => [m.role, m.text])).toEqual(
      sentHere.flatMap((text) => [
        ['user', text],
        ['assistant', 'Noted.'],
      ]),
    );
  }
});
