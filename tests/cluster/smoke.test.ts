/**
 * Two instances in cluster mode (PostgreSQL + Redis) behind HAProxy running deploy/haproxy.cfg:
 * what an operator checks first after following the README's "Running several instances".
 */
import { expect, test } from 'bun:test';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { withCluster } from '../support/cluster.ts';
import { Recorder } from '../support/people.ts';

test('behind HAProxy, two instances share sign-in and chats, answers stream over its WebSockets, and it serves from B once A dies', async () => {
  await withCluster({ instances: 2 }, async (cluster) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    expect(await cluster.loadBalancer.status()).toEqual({ a: 'UP', b: 'UP' });

    // One sign-in through the load balancer (its login and callback may land on different instances).
    const uma = await cluster.signIn('uma@countersign.dev');
    const chat = await uma.clientOn(a).api.chats.create.mutate({ title: 'Made on A' });
    const onB = await uma.clientOn(b).api.chats.list.query({ limit: 10 });
    expect(onB.items.map((c) => [c.id, c.title])).toEqual([[chat.id, 'Made on A']]);

    // A WebSocket upgraded through HAProxy, from the page's origin, carries a whole answer.
    const socket = uma.socketClient();
    const { cursor } = await socket.api.chats.get.query({ chatId: chat.id });
    const recorder = new Recorder<ChatStreamEvent>();
    const started = Promise.withResolvers<void>();
    const subscription = socket.api.chats.events.subscribe(
      { chatId: chat.id, lastEventId: cursor },
      { onData: recorder.push, onStarted: () => started.resolve() },
    );
    await started.promise;
    await socket.api.chats.send.mutate({ chatId: chat.id, text: 'Hello through the load balancer' });
    const answer = await recorder.until((e) => e.type === 'assistant_message');
    subscription.unsubscribe();
    expect(answer.type === 'assistant_message' && answer.message.text.length).toBeGreaterThan(0);

    await a.kill('SIGKILL');
    // Before the health checks notice, a request that reaches dead A is sent on to B.
    for (let i = 0; i < 4; i++) {
      expect((await uma.client.api.chats.list.query({ limit: 10 })).items.map((c) => c.id)).toEqual([chat.id]);
    }
    await cluster.loadBalancer.until('a', 'DOWN');
    expect(await cluster.loadBalancer.status()).toEqual({ a: 'DOWN', b: 'UP' });
    const second = await uma.client.api.chats.create.mutate({ title: 'Made while A is down' });
    expect((await uma.clientOn(b).api.chats.list.query({ limit: 10 })).items.map((c) => c.id).sort()).toEqual([chat.id, second.id].sort());
  });
}, 180_000);
