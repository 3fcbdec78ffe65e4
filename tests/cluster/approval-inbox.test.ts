/**
 * The person's stream of changes across instances: what is changed on A reaches Uma's tab
 * following on B (a new chat, a rename, an approval raised and answered, a deletion), and the
 * inbox read on either instance says the same.
 */
import { expect, test } from 'bun:test';
import type { PersonStreamEvent } from '../../shared/chats.ts';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { follow } from '../faults/support.ts';
import { startMutableServer, tool } from '../mcp/fixtures/mutable-server.ts';
import { withCluster } from '../support/cluster.ts';
import { addServer, adminOn, modelEnv, on } from '../support/cluster-chats.ts';
import { type Person, Recorder } from '../support/people.ts';

async function changesOf(person: Person) {
  const recorder = new Recorder<PersonStreamEvent>();
  const started = Promise.withResolvers<void>();
  const subscription = person.client.api.chats.changes.subscribe({}, { onData: recorder.push, onStarted: () => started.resolve() });
  await started.promise;
  return { recorder, unsubscribe: () => subscription.unsubscribe() };
}

test('changes made on A reach the person’s stream on B, and the inbox reads the same on both', async () => {
  await using model = startOpenAIFixture();
  await using counter = startMutableServer([tool('record')]);
  await withCluster({ instances: 2, env: modelEnv(model) }, async (cluster) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    const serverId = await addServer(await adminOn(cluster, a), 'Counter', counter.url);
    const uma = await cluster.signIn('uma@countersign.dev');
    await uma.client.api.servers.connect.mutate({ serverId });
    const [onA, onB] = [on(uma, a), on(uma, b)];
    const { recorder, unsubscribe } = await changesOf(onB);

    const chat = await onA.client.api.chats.create.mutate({ title: 'Made on A', enabledServers: [serverId] });
    await onA.client.api.chats.rename.mutate({ chatId: chat.id, title: 'Renamed on A' });
    const followed = await follow(onA, chat.id);
    model.script({ kind: 'tool_calls', calls: [{ name: 'counter__record', arguments: { value: 'x' } }] });
    await onA.client.api.chats.send.mutate({ chatId: chat.id, text: 'Record x.' });
    const asked = await followed.recorder.until((e) => e.type === 'approval_requested');
    followed.unsubscribe();
    if (asked.type !== 'approval_requested') throw new Error('unreachable');
    const waiting = await recorder.until((e) => e.type === 'inbox_changed' && e.entry !== null);

    expect(waiting).toEqual({
      type: 'inbox_changed',
      chatId: chat.id,
      entry: {
        chatId: chat.id,
        chatTitle: 'Renamed on A',
        interruptId: asked.approval.interruptId,
        tools: [expect.any(String)],
        since: asked.approval.requestedAt,
      },
    });
    expect(await onB.client.api.chats.inbox.query()).toEqual(await onA.client.api.chats.inbox.query());

    model.script({ kind: 'text', text: 'Recorded.' });
    await onB.client.api.chats.decide.mutate({
      chatId: chat.id,
      interruptId: asked.approval.interruptId,
      decisions: [{ toolCallId: asked.approval.items[0]!.toolCallId, action: 'approve' }],
    });
    await recorder.until((e) => e.type === 'inbox_changed' && e.entry === null);
    expect(await onA.client.api.chats.inbox.query()).toEqual([]);

    await onA.client.api.chats.delete.mutate({ chatId: chat.id });
    await recorder.until((e) => e.type === 'chat_deleted');
    unsubscribe();
    expect(recorder.types().filter((type) => type !== 'chat_updated')).toEqual([
      'chat_created',
      'inbox_changed',
      'inbox_changed',
      'chat_deleted',
    ]);
    expect(recorder.events.find((e) => e.data.type === 'chat_updated')?.data).toMatchObject({
      chat: { id: chat.id, title: 'Renamed on A' },
    });
  });
}, 180_000);
