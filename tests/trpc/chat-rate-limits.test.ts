/**
 * Creating chats and deciding approvals are rate limited per person, like sending: a burst of
 * either (one batched request, as the typed client sends concurrent calls) is mostly refused with
 * TOO_MANY_REQUESTS saying when to retry, and what was refused left nothing behind.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const BURST = 100;

let server: TestServer;
let uma: Person;
let ulf: Person;
beforeAll(async () => {
  server = await startTestServer();
  uma = await signIn(server.url, 'uma@countersign.dev');
  ulf = await signIn(server.url, 'ulf@countersign.dev');
});
afterAll(async () => {
  await uma.client.close();
  await ulf.client.close();
  await server[Symbol.asyncDispose]();
});

function codeOf(outcome: PromiseSettledResult<unknown>): string {
  if (outcome.status === 'fulfilled') return 'accepted';
  return outcome.reason instanceof TRPCClientError ? String(outcome.reason.data?.code) : String(outcome.reason);
}

function refusalMessage(outcomes: PromiseSettledResult<unknown>[]): string | undefined {
  const refused = outcomes.find((o) => codeOf(o) === 'TOO_MANY_REQUESTS');
  return refused?.status === 'rejected' ? (refused.reason as Error).message : undefined;
}

test(`${BURST} chats created at once: most are refused, and only the accepted ones exist`, async () => {
  const outcomes = await Promise.allSettled(
    Array.from({ length: BURST }, (_, i) => uma.client.api.chats.create.mutate({ title: `Flood ${i}` })),
  );
  const codes = outcomes.map(codeOf);
  expect(codes.every((c) => c === 'accepted' || c === 'TOO_MANY_REQUESTS')).toBe(true);
  const accepted = codes.filter((c) => c === 'accepted').length;
  expect(accepted).toBeGreaterThanOrEqual(1);
  expect(accepted).toBeLessThan(BURST / 2);
  expect(refusalMessage(outcomes)).toMatch(/^Too many new chats: wait \d+ s and try again\.$/);

  const listed = await uma.client.api.chats.list.query({ limit: 100, search: 'Flood' });
  expect(listed.items).toHaveLength(accepted);
});

test(`${BURST} decisions at once: most are refused as too many, the rest answered as usual`, async () => {
  const chat = await ulf.client.api.chats.create.mutate({ title: 'Nothing to decide' });
  const decide = () =>
    ulf.client.api.chats.decide.mutate({
      chatId: chat.id,
      interruptId: 'no-such-approval',
      decisions: [{ toolCallId: 'call', action: 'approve' }],
    });
  const outcomes = await Promise.allSettled(Array.from({ length: BURST }, decide));
  const codes = outcomes.map(codeOf);
  // Those let through are answered as any decision on nothing pending is: CONFLICT.
  expect(codes.every((c) => c === 'CONFLICT' || c === 'TOO_MANY_REQUESTS')).toBe(true);
  expect(codes.filter((c) => c === 'CONFLICT').length).toBeGreaterThanOrEqual(1);
  expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length).toBeGreaterThan(BURST / 2);
  expect(refusalMessage(outcomes)).toMatch(/^Too many decisions: wait \d+ s and try again\.$/);
});
