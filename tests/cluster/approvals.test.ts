/**
 * Approvals in cluster mode. The tools are on an MCP server of this test process, reached by every
 * instance over HTTP and added to the catalogue by the admin through GraphQL, so the test counts
 * each call where it lands; the model is the stand-in, which counts each request. A decision raced
 * from two instances runs the tool and the model once; an instance killed while a tool runs leaves
 * an honest "result unknown", never a second run; instances restarted one by one lose nothing of a
 * conversation waiting for an approval.
 */
import { expect, test } from 'bun:test';
import { SQL } from 'bun';
import { AuditLogQuery } from '../../admin/src/api/operations.ts';
import type { PendingApproval } from '../../shared/chat-events.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { startOpenAIFixture, type OpenAIFixture, type ScriptedToolCall } from '../fixtures/openai-fixture.ts';
import { finalState, follow } from '../faults/support.ts';
import { startMutableServer, tool, type MutableServer } from '../mcp/fixtures/mutable-server.ts';
import { type Cluster, type ClusterPerson, withCluster } from '../support/cluster.ts';
import { addServer, adminOn, modelEnv, on, outcomeCode } from '../support/cluster-chats.ts';
import { eventually } from '../support/eventually.ts';
import type { Person, Recorder } from '../support/people.ts';

/** `record` answers at once; `wait` runs until its caller goes away. */
const counterTools = () => [tool('record'), tool('wait')];

interface Setup {
  uma: ClusterPerson;
  chatId: string;
}

/** The counter in the catalogue (added through A), Uma connected to it, and a chat that uses it. */
async function setUp(cluster: Cluster, counter: MutableServer): Promise<Setup> {
  const admin = await adminOn(cluster, cluster.instance(0));
  const serverId = await addServer(admin, 'Counter', counter.url);
  const uma = await cluster.signIn('uma@countersign.dev');
  await uma.client.api.servers.connect.mutate({ serverId });
  const chat = await uma.client.api.chats.create.mutate({ title: 'Counting', enabledServers: [serverId] });
  return { uma, chatId: chat.id };
}

/** Sends `text` through `person`'s client, the model proposing `call`; the approval it asks for. */
async function proposal(
  person: Person,
  recorder: Recorder<ChatStreamEvent>,
  model: OpenAIFixture,
  chatId: string,
  text: string,
  call: ScriptedToolCall,
): Promise<PendingApproval> {
  model.script({ kind: 'tool_calls', calls: [call] });
  await person.client.api.chats.send.mutate({ chatId, text });
  const asked = await recorder.until((e) => e.type === 'approval_requested');
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  return asked.approval;
}

const approve = (chatId: string, approval: PendingApproval) => ({
  chatId,
  interruptId: approval.interruptId,
  decisions: [{ toolCallId: approval.items[0]!.toolCallId, action: 'approve' as const }],
});

test('50 decisions at once, spread over A and B: one is accepted, the tool runs once and the model once', async () => {
  await using model = startOpenAIFixture();
  await using counter = startMutableServer(counterTools());
  await withCluster({ instances: 2, env: modelEnv(model) }, async (cluster) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    const { uma, chatId } = await setUp(cluster, counter);
    const followed = await follow(on(uma, a), chatId);
    const approval = await proposal(on(uma, a), followed.recorder, model, chatId, 'Record this once.', {
      name: 'counter__record',
      arguments: { value: 'once' },
    });
    const modelCallsBefore = model.requests.length;
    model.script({ kind: 'text', text: 'Recorded.' });

    // A slow database: no checkpoint is written until every decision is answered, so the approval
    // stays pending in the checkpoint meanwhile and only the lease stops a second resume.
    const db = new SQL({ url: cluster.schema.url, max: 1 });
    const locked = Promise.withResolvers<void>();
    const unlock = Promise.withResolvers<void>();
    const holding = db.begin(async (tx) => {
      await tx.unsafe(`LOCK TABLE "${cluster.schema.schema}".checkpoint_checkpoints IN EXCLUSIVE MODE`);
      locked.resolve();
      await unlock.promise;
    });
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      await locked.promise;
      const tabs = Array.from({ length: 50 }, (_, i) => uma.clientOn(i % 2 ? b : a));
      outcomes = await Promise.allSettled(tabs.map((tab) => tab.api.chats.decide.mutate(approve(chatId, approval))));
    } finally {
      unlock.resolve();
      await holding;
      await db.close();
    }
    expect(await finalState(followed.recorder)).toEqual({ status: 'idle' });
    followed.unsubscribe();

    const codes = outcomes.map(outcomeCode);
    expect(codes.filter((c) => c === 'accepted')).toHaveLength(1);
    // The rest are refused: as already decided, or, past the per-person burst, as too many.
    expect(codes.filter((c) => c !== 'accepted' && c !== 'CONFLICT' && c !== 'TOO_MANY_REQUESTS')).toEqual([]);
    expect(codes.filter((c) => c === 'CONFLICT').length).toBeGreaterThan(0);
    expect(counter.calls.filter((c) => c.name === 'record')).toEqual([{ name: 'record', arguments: { value: 'once' } }]);
    expect(model.requests.length).toBe(modelCallsBefore + 1);

    const { history } = await uma.clientOn(b).api.chats.get.query({ chatId });
    expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(history.messages.at(-1)?.text).toBe('Recorded.');
    expect(history.runState).toEqual({ status: 'idle' });
  });
}, 120_000);

test('A killed while an approved tool runs: Retry through B does not run it again, and says its result is unknown', async () => {
  await using model = startOpenAIFixture();
  await using counter = startMutableServer(counterTools());
  await withCluster({ instances: 2, env: modelEnv(model) }, async (cluster) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    const { uma, chatId } = await setUp(cluster, counter);
    const onA = await follow(on(uma, a), chatId);
    const approval = await proposal(on(uma, a), onA.recorder, model, chatId, 'Wait for me.', {
      name: 'counter__wait',
      arguments: { value: 'long' },
    });
    const toolCallId = approval.items[0]!.toolCallId;
    const onB = await follow(on(uma, b), chatId);
    await uma.clientOn(a).api.chats.decide.mutate(approve(chatId, approval));
    await eventually(() => counter.started.length === 1, 'the approved call to reach the MCP server');
    await a.kill('SIGKILL');
    onA.unsubscribe();

    // Once A's lease lapses, B shows the run cut off, and Retry is accepted there.
    const cut = await onB.recorder.until((e) => e.type === 'run_state' && e.state.status === 'failed', 60_000);
    expect(cut.type === 'run_state' && cut.state.status).toBe('failed');
    onB.unsubscribe();
    model.script({ kind: 'text', text: 'I cannot tell whether waiting took effect.' });
    const retried = await follow(on(uma, b), chatId);
    await uma.clientOn(b).api.chats.retry.mutate({ chatId });
    expect(await finalState(retried.recorder)).toEqual({ status: 'idle' });
    retried.unsubscribe();

    expect(counter.calls.filter((c) => c.name === 'wait')).toHaveLength(1);
    expect(retried.recorder.types()).not.toContain('tool_started');
    // What the model was told about the call: that it had started and its result is unknown.
    const told = model.requests.at(-1)!.body.messages.find((m) => m.role === 'tool' && m.tool_call_id === toolCallId);
    expect(String(told?.content)).toContain('already started before an interruption, and its result is unknown');
    const { history } = await uma.clientOn(b).api.chats.get.query({ chatId });
    const card = history.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : [])).find((c) => c.toolCallId === toolCallId);
    expect(card).toMatchObject({ decision: 'approved', status: 'not_run', result: expect.stringContaining('already started') });
    expect(history.messages.at(-1)).toMatchObject({ role: 'assistant', text: 'I cannot tell whether waiting took effect.' });

    const adminOnB = await adminOn(cluster, b);
    const { items } = (await adminOnB(AuditLogQuery, { filter: { tool: 'wait' } })).auditLog;
    expect(items).toEqual([expect.objectContaining({ toolCallId, decision: 'APPROVED', finishedAt: null, outcome: 'INTERRUPTED' })]);
  });
}, 180_000);

test('every instance restarted one by one while an approval is pending: nothing is lost, and the approval runs once', async () => {
  await using model = startOpenAIFixture();
  await using counter = startMutableServer(counterTools());
  await withCluster({ instances: 3, env: modelEnv(model) }, async (cluster) => {
    const { uma, chatId } = await setUp(cluster, counter);
    const socket = { ...uma, client: uma.socketClient() };
    const before = await follow(socket, chatId);
    model.script({ kind: 'text', text: 'Hello, Uma.' });
    await socket.client.api.chats.send.mutate({ chatId, text: 'Hello.' });
    expect(await finalState(before.recorder)).toEqual({ status: 'idle' });
    const approval = await proposal(socket, before.recorder, model, chatId, 'Record that we spoke.', {
      name: 'counter__record',
      arguments: { value: 'spoke' },
    });
    before.unsubscribe();
    const pending = (await uma.client.api.chats.get.query({ chatId })).history;
    expect(pending.runState).toEqual({ status: 'awaiting_approval', interruptId: approval.interruptId });

    for (const instance of cluster.instances) {
      await instance.restart();
      // Whichever instance answers, the conversation and its approval are as they were.
      expect((await uma.clientOn(instance).api.chats.get.query({ chatId })).history).toEqual(pending);
    }

    const modelCallsBefore = model.requests.length;
    model.script({ kind: 'text', text: 'Recorded that we spoke.' });
    const after = await follow(uma, chatId);
    await uma.client.api.chats.decide.mutate(approve(chatId, approval));
    expect(await finalState(after.recorder)).toEqual({ status: 'idle' });
    after.unsubscribe();
    expect(counter.calls.filter((c) => c.name === 'record')).toEqual([{ name: 'record', arguments: { value: 'spoke' } }]);
    expect(model.requests.length).toBe(modelCallsBefore + 1);
    const { history } = await uma.client.api.chats.get.query({ chatId });
    expect(history.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'Hello.'],
      ['assistant', 'Hello, Uma.'],
      ['user', 'Record that we spoke.'],
      ['assistant', expect.any(String)],
      ['tool', expect.any(String)],
      ['assistant', 'Recorded that we spoke.'],
    ]);
    expect(history.runState).toEqual({ status: 'idle' });
  });
}, 240_000);
