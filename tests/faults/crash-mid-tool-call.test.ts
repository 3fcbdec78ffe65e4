/**
 * The server process dies (SIGKILL) while a tool call the person approved is running, on the
 * offline demo model. After a restart the person presses Retry: the call is not run again, the
 * demo model says honestly that it was cut off (not that the person decided against it), and the
 * admin's audit log records how it ended: interrupted, no longer "started" with no outcome.
 */
import { afterAll, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { AuditLogQuery } from '../../admin/src/api/operations.ts';
import { createCountersignClient } from '../../shared/client.ts';
import { signInAdmin } from '../admin/support.ts';
import { startMainProcess, type MainProcess } from '../support/main-process.ts';
import { signIn } from '../support/people.ts';
import { freePort } from '../support/ports.ts';
import { tempDir } from '../support/test-server.ts';
import { finalState, follow, INTERNAL } from './support.ts';

const dataDir = tempDir('countersign-crash-mid-call-');
const port = freePort();
let server: MainProcess | undefined;
afterAll(async () => {
  await server?.crash();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a call cut off by a crash is not run again on Retry, is reported as cut off, and is audited as interrupted', async () => {
  server = await startMainProcess({ port, dataDir });
  const uma = await signIn(server.url, 'uma@countersign.dev');
  const api = uma.client.api;
  await api.servers.connect.mutate({ serverId: INTERNAL });
  // slow_count runs without asking by default (read-only, trusted server); Uma wants to approve it.
  await api.servers.setToolPreference.mutate({ serverId: INTERNAL, toolName: 'slow_count', policy: 'ask' });
  const chat = await api.chats.create.mutate({ title: 'Counting', enabledServers: [INTERNAL] });
  const before = await follow(uma, chat.id);
  await api.chats.send.mutate({ chatId: chat.id, text: 'Please slow count to 100, one every 1000 ms' });
  const asked = await before.recorder.until((e) => e.type === 'approval_requested');
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  const call = asked.approval.items[0]!;
  expect(call).toMatchObject({ tool: { name: 'slow_count' }, arguments: { to: 100, intervalMs: 1000 } });
  await api.chats.decide.mutate({
    chatId: chat.id,
    interruptId: asked.approval.interruptId,
    decisions: [{ toolCallId: call.toolCallId, action: 'approve' }],
  });
  await before.recorder.until((e) => e.type === 'tool_started');
  await server.crash();
  before.unsubscribe();
  await uma.client.close();

  server = await startMainProcess({ port, dataDir });
  const after = createCountersignClient({ url: server.url, headers: { cookie: uma.cookie, origin: server.url } });
  try {
    const retried = await follow({ ...uma, client: after }, chat.id);
    await after.api.chats.retry.mutate({ chatId: chat.id });
    expect(await finalState(retried.recorder)).toEqual({ status: 'idle' });
    retried.unsubscribe();
    expect(retried.recorder.types()).not.toContain('tool_started');

    const { history } = await after.api.chats.get.query({ chatId: chat.id });
    const card = history.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : [])).find((c) => c.toolCallId === call.toolCallId);
    expect(card).toMatchObject({ decision: 'approved', status: 'not_run', result: expect.stringContaining('already started') });
    const reply = history.messages.at(-1)!;
    expect(reply.role).toBe('assistant');
    expect(reply.text).not.toContain('as you decided');
    expect(reply.text).toContain('`slow_count` was cut off when the server stopped, so I cannot tell whether it took effect.');

    const ada = await signInAdmin(server.url);
    const { items } = (await ada.admin(AuditLogQuery, { filter: { tool: 'slow_count' } })).auditLog;
    expect(items).toEqual([
      expect.objectContaining({
        toolCallId: call.toolCallId,
        decision: 'APPROVED',
        startedAt: expect.any(String),
        finishedAt: null,
        outcome: 'INTERRUPTED',
      }),
    ]);
    expect(items[0]!.error).toContain('server stopped');
    await ada.client.close();
  } finally {
    await after.close();
  }
}, 120_000);
