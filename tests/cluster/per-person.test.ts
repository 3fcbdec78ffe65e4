/**
 * What holds for a person across every instance, not per instance: an admin disabling them through
 * one instance closes their sockets on the others, and a flood of sends spread over three
 * instances is refused after the same number as on one.
 */
import { expect, test } from 'bun:test';
import { SetUserDisabled } from '../../admin/src/api/operations.ts';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { type ClusterInstance, type ClusterPerson, withCluster } from '../support/cluster.ts';
import { adminOn, modelEnv, outcomeCode } from '../support/cluster-chats.ts';
import { TrpcSocket } from '../support/trpc-socket.ts';

test('a person disabled through A loses their sockets on B and C; another person keeps theirs', async () => {
  await withCluster({ instances: 3 }, async (cluster) => {
    const [a, b, c] = [cluster.instance(0), cluster.instance(1), cluster.instance(2)];
    const uma = await cluster.signIn('uma@countersign.dev');
    const ulf = await cluster.signIn('ulf@countersign.dev');
    // Opened as the app's page opens them: from the load balancer's origin, straight to one instance each.
    const open = async (person: ClusterPerson, instance: ClusterInstance) => {
      const socket = await TrpcSocket.open(instance.url, person.cookie, cluster.url);
      socket.call(1, 'query', 'auth.me');
      expect((await socket.reply(1)).result?.type).toBe('data');
      return socket;
    };
    const [umaOnB, umaOnC, ulfOnB] = [await open(uma, b), await open(uma, c), await open(ulf, b)];

    const admin = await adminOn(cluster, a);
    const { id } = await uma.client.api.auth.me.query();
    await admin(SetUserDisabled, { id, disabled: true });
    expect(await Promise.all([umaOnB.closed, umaOnC.closed])).toEqual([4401, 4401]);

    ulfOnB.call(2, 'query', 'auth.me');
    expect((await ulfOnB.reply(2)).result?.data).toMatchObject({ email: 'ulf@countersign.dev' });
    ulfOnB.close();
  });
}, 120_000);

test('a flood of sends spread over three instances is refused after as many as a flood on one instance', async () => {
  await using model = startOpenAIFixture();
  await withCluster({ instances: 3, env: modelEnv(model) }, async (cluster) => {
    model.fallback({ kind: 'text', text: 'Noted.' });
    const SENDS = 15;
    /** Sends once to each of SENDS new chats at once, the i-th through `instanceFor(i)`; each send's outcome. */
    const flood = async (person: ClusterPerson, instanceFor: (i: number) => ClusterInstance) => {
      const chats = await Promise.all(
        Array.from({ length: SENDS }, (_, i) => person.client.api.chats.create.mutate({ title: `Flood ${i}` })),
      );
      return Promise.allSettled(
        chats.map((chat, i) => person.clientOn(instanceFor(i)).api.chats.send.mutate({ chatId: chat.id, text: `message ${i}` })),
      );
    };
    const oneInstance = await flood(await cluster.signIn('uma@countersign.dev'), () => cluster.instance(0));
    const spread = await flood(await cluster.signIn('ulf@countersign.dev'), (i) => cluster.instance(i % 3));

    const accepted = (outcomes: PromiseSettledResult<unknown>[]) => outcomes.filter((o) => o.status === 'fulfilled').length;
    // The burst allowance is 10 messages.
    expect(accepted(oneInstance)).toBe(10);
    expect(accepted(spread)).toBe(accepted(oneInstance));
    expect(spread.map(outcomeCode).filter((c) => c !== 'accepted')).toEqual(Array(SENDS - 10).fill('TOO_MANY_REQUESTS'));
    const refusal = spread.find((o) => o.status === 'rejected');
    expect(refusal?.status === 'rejected' && (refusal.reason as Error).message).toMatch(/^Too many messages: wait \d+ s and try again\.$/);
  });
}, 120_000);
