/**
 * The control channel on Redis, as instances rely on it: two channels on one key prefix stand for
 * two instances. A message published on either reaches both; what is not a message this version
 * knows (not JSON, not a topic and a message, an unknown topic, a known topic with the wrong fields)
 * is logged and ignored; a subscription whose connection drops is opened again, and its users are
 * told they may have missed messages.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { RedisClient } from 'bun';
import { stopRun } from '../../server/chats/run-control.ts';
import { RedisControlChannel } from '../../server/cluster/redis-control-channel.ts';
import { type LogEntry, recordingLogger } from '../agent/support.ts';
import { eventually } from '../support/eventually.ts';
import { createTestRedis, type TestRedis } from '../support/services.ts';

let redis: TestRedis;
let raw: RedisClient;
const channels: RedisControlChannel[] = [];
beforeAll(async () => {
  redis = await createTestRedis();
  raw = new RedisClient(redis.url);
});
afterAll(async () => {
  for (const channel of channels) await channel.close();
  raw.close();
  await redis.clear();
});

/** An instance's channel; instances of one deployment share its key prefix. */
async function instance(logs: LogEntry[] = [], keyPrefix = redis.prefix): Promise<RedisControlChannel> {
  const channel = await RedisControlChannel.open({ target: { url: redis.url, keyPrefix }, log: recordingLogger(logs) });
  channels.push(channel);
  return channel;
}

/** The stop-run messages `channel` receives. */
function received(channel: RedisControlChannel): { chatId: string }[] {
  const messages: { chatId: string }[] = [];
  channel.on(stopRun, (message) => messages.push(message));
  return messages;
}

test('a message published on one instance reaches every instance, the publisher included', async () => {
  const [a, b] = [await instance(), await instance()];
  const [onA, onB] = [received(a), received(b)];

  await b.publish(stopRun, { chatId: 'chat-1' });

  await eventually(() => onA.length && onB.length, 'the message on both instances');
  expect(onA).toEqual([{ chatId: 'chat-1' }]);
  expect(onB).toEqual([{ chatId: 'chat-1' }]);
});

test('on the wire a message is its topic’s name and the message, as any instance publishing it writes it', async () => {
  const channel = await instance();
  const messages = received(channel);

  await raw.publish(`${redis.prefix}control`, JSON.stringify({ topic: 'stop-run', message: { chatId: 'chat-raw' } }));

  await eventually(() => messages.length, 'the message written by hand');
  expect(messages).toEqual([{ chatId: 'chat-raw' }]);
});

test('what is not a message this version knows is logged and ignored; the messages after it still arrive', async () => {
  const logs: LogEntry[] = [];
  const channel = await instance(logs);
  const messages = received(channel);
  const channelName = `${redis.prefix}control`;

  await raw.publish(channelName, 'not json');
  await raw.publish(channelName, JSON.stringify({ type: 'stop-run', chatId: 'chat-old' }));
  await raw.publish(channelName, JSON.stringify({ topic: 'reboot-everything', message: {} }));
  await raw.publish(channelName, JSON.stringify({ topic: 'stop-run', message: { chatId: 42 } }));
  await channel.publish(stopRun, { chatId: 'chat-2' });

  await eventually(() => messages.length, 'the valid message');
  expect(messages).toEqual([{ chatId: 'chat-2' }]);
  expect(logs.filter((entry) => entry.level === 'warn').map((entry) => entry.msg)).toEqual([
    'ignored a control message: it is not JSON',
    'ignored a control message: it is not a topic and a message',
    'ignored a control message: its topic "reboot-everything" is not one this instance listens to',
    expect.stringMatching(/^ignored a control message: it is not a valid stop-run message/),
  ]);
});

test('a subscription whose connection drops is opened again', async () => {
  const deployment = `${redis.prefix}reconnect:`;
  const channel = await instance([], deployment);
  const messages = received(channel);
  const [id] = await subscriberIds(deployment);

  await raw.send('CLIENT', ['KILL', 'ID', id!]);
  await eventually(async () => (await subscriberIds(deployment)).some((other) => other !== id), 'a new subscription');
  await channel.publish(stopRun, { chatId: 'chat-3' });

  await eventually(() => messages.length, 'the message after the reconnect');
  expect(messages).toEqual([{ chatId: 'chat-3' }]);
});

test('once a dropped subscription is back, the channel says messages may have been missed; its first subscription says nothing', async () => {
  const deployment = `${redis.prefix}catch-up:`;
  const channel = await instance([], deployment);
  const [id] = await subscriberIds(deployment);
  const subscribedWhenTold: string[][] = [];
  channel.onResubscribed(async () => {
    subscribedWhenTold.push(await subscriberIds(deployment));
  });
  expect(subscribedWhenTold).toEqual([]);

  await raw.send('CLIENT', ['KILL', 'ID', id!]);

  await eventually(() => subscribedWhenTold.length, 'the channel to say it was down');
  expect(subscribedWhenTold).toHaveLength(1);
  expect(subscribedWhenTold[0]).toHaveLength(1);
  expect(subscribedWhenTold[0]).not.toContain(id);
});

/** Ids of the connections subscribed to the control channel of the deployment with this key prefix. */
async function subscriberIds(keyPrefix: string): Promise<string[]> {
  const list = String(await raw.send('CLIENT', ['LIST', 'TYPE', 'pubsub']));
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${keyPrefix}control `))
    .map((line) => /^id=(\d+) /.exec(line)![1]!);
}
