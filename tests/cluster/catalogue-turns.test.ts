/**
 * Catalogue and connection changes made through one instance, seen in the next turn on another:
 * the tools the model is offered there (recorded at the stand-in) and whether a call asks first.
 * B runs a turn first, so it holds the person's live handler when the changes are made through A.
 */
import { expect, test } from 'bun:test';
import { SetServerEnabled, SetToolPolicy } from '../../admin/src/api/operations.ts';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { finalState, follow } from '../faults/support.ts';
import { startMutableServer, tool } from '../mcp/fixtures/mutable-server.ts';
import { withCluster } from '../support/cluster.ts';
import { addServer, adminOn, modelEnv, on } from '../support/cluster-chats.ts';

test('a server disabled, a policy changed and a server connected through A show in the next turn on B', async () => {
  await using model = startOpenAIFixture();
  await using mcp = startMutableServer([tool('lamp'), tool('fan')]);
  await withCluster({ instances: 2, env: modelEnv(model) }, async (cluster) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    const admin = await adminOn(cluster, a);
    const [desk, shelf, door] = [
      await addServer(admin, 'Desk', mcp.url),
      await addServer(admin, 'Shelf', mcp.url),
      await addServer(admin, 'Door', mcp.url),
    ];
    const uma = await cluster.signIn('uma@countersign.dev');
    const onB = uma.clientOn(b);
    const chat = await uma.client.api.chats.create.mutate({ title: 'Around the house', enabledServers: [] });
    for (const serverId of [desk, shelf]) await onB.api.servers.connect.mutate({ serverId, chatId: chat.id });
    /** The tools offered in a model request, by the names the model sees. */
    const offered = (index: number) => (model.requests[index]!.body.tools ?? []).map((t) => t.function.name).sort();

    const first = await follow(on(uma, b), chat.id);
    model.script({ kind: 'text', text: 'Nothing to do yet.' });
    await onB.api.chats.send.mutate({ chatId: chat.id, text: 'What can you reach?' });
    expect(await finalState(first.recorder)).toEqual({ status: 'idle' });
    first.unsubscribe();
    expect(offered(0)).toEqual(['desk__fan', 'desk__lamp', 'shelf__fan', 'shelf__lamp']);

    await admin(SetServerEnabled, { id: shelf, enabled: false });
    await admin(SetToolPolicy, { serverId: desk, tool: 'lamp', policy: 'DENY' });
    await admin(SetToolPolicy, { serverId: desk, tool: 'fan', policy: 'AUTO' });
    await uma.clientOn(a).api.servers.connect.mutate({ serverId: door, chatId: chat.id });

    const second = await follow(on(uma, b), chat.id);
    model.script(
      { kind: 'tool_calls', calls: [{ name: 'desk__fan', arguments: { value: 'on' } }] },
      { kind: 'text', text: 'The fan is on.' },
    );
    await onB.api.chats.send.mutate({ chatId: chat.id, text: 'Turn the fan on.' });
    expect(await finalState(second.recorder)).toEqual({ status: 'idle' });
    second.unsubscribe();
    expect(offered(1)).toEqual(['desk__fan', 'door__fan', 'door__lamp']);
    // The fan now runs without asking.
    expect(second.recorder.types()).not.toContain('approval_requested');
    expect(mcp.calls).toEqual([{ name: 'fan', arguments: { value: 'on' } }]);
    const { history } = await onB.api.chats.get.query({ chatId: chat.id });
    expect(history.messages.at(-1)).toMatchObject({ role: 'assistant', text: 'The fan is on.' });
  });
}, 120_000);
