/**
 * One approval decided from two tabs at the same moment: the tool runs once, one decision is
 * accepted and the other refused with CONFLICT, and the chat's history shows a single call.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import { createCountersignClient, type AppRouter } from '../../shared/client.ts';
import { finalState, follow, INTERNAL, newChat, startFaultKit, type FaultKit } from './support.ts';

let kit: FaultKit;
beforeAll(async () => {
  kit = await startFaultKit();
  await kit.person.client.api.servers.connect.mutate({ serverId: INTERNAL });
});
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
});

test('the same approval decided twice at once: the tool runs once and one decision gets CONFLICT', async () => {
  const api = kit.person.client.api;
  const secondTab = createCountersignClient({ url: kit.server.url, headers: { cookie: kit.person.cookie, origin: kit.server.url } });
  const chat = await newChat(kit.person, [INTERNAL]);
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  kit.model.script(
    {
      kind: 'tool_calls',
      calls: [{ name: 'countersign__notes_create', arguments: { title: 'Decided once', body: 'by one of two tabs' } }],
    },
    { kind: 'text', text: 'Your note is saved.' },
  );
  await api.chats.send.mutate({ chatId: chat.id, text: 'Save a note, please.' });
  const asked = await recorder.until((e) => e.type === 'approval_requested');
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  const decision = {
    chatId: chat.id,
    interruptId: asked.approval.interruptId,
    decisions: [{ toolCallId: asked.approval.items[0]!.toolCallId, action: 'approve' as const }],
  };

  const outcomes = await Promise.allSettled([api.chats.decide.mutate(decision), secondTab.api.chats.decide.mutate(decision)]);
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  await secondTab.close();

  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  expect(refused).toHaveLength(1);
  expect(refused[0]).toBeInstanceOf(TRPCClientError);
  expect((refused[0] as TRPCClientError<AppRouter>).data?.code).toBe('CONFLICT');

  const saved = kit.server.db.sqlite.query<{ n: number }, [string]>('SELECT count(*) AS n FROM notes WHERE title = ?').get('Decided once');
  expect(saved?.n).toBe(1);
  expect(recorder.types().filter((t) => t === 'tool_started')).toHaveLength(1);
  const { history } = await api.chats.get.query({ chatId: chat.id });
  expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  expect(history.messages[1]!.role === 'assistant' && history.messages[1]!.toolCalls).toEqual([
    expect.objectContaining({ status: 'succeeded', decision: 'approved' }),
  ]);
});
