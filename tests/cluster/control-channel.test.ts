/**
 * The in-process control channel, as the embedded mode relies on it: a topic's handlers get its
 * messages as its schema reads them, as they would from Redis; a message the schema refuses is
 * refused to its publisher; two features cannot share a topic name by accident.
 */
import { expect, test } from 'bun:test';
import { z } from 'zod';
import { controlTopic, LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { eventually } from '../support/eventually.ts';

const renamed = controlTopic('renamed', z.object({ id: z.string(), name: z.string().trim() }));

test('a topic’s handlers get its messages as its schema reads them, and no other topic’s', async () => {
  const channel = new LocalControlChannel();
  const other = controlTopic('other', z.object({ id: z.string() }));
  const messages: unknown[] = [];
  channel.on(renamed, (message) => messages.push(message));

  await channel.publish(other, { id: 'x' });
  await channel.publish(renamed, { id: 'a', name: '  Ada ' });

  await eventually(() => messages.length, 'the message on its topic');
  expect(messages).toEqual([{ id: 'a', name: 'Ada' }]);
});

test('a message its topic’s schema refuses is refused to the publisher and reaches no handler', async () => {
  const channel = new LocalControlChannel();
  const messages: unknown[] = [];
  channel.on(renamed, (message) => messages.push(message));

  const wrong = { id: 42, name: 'Ada' } as unknown as { id: string; name: string };
  await expect(channel.publish(renamed, wrong)).rejects.toThrow(/not a valid renamed message/);
  await channel.publish(renamed, { id: 'b', name: 'Bo' });

  await eventually(() => messages.length, 'the valid message');
  expect(messages).toEqual([{ id: 'b', name: 'Bo' }]);
});

test('two different topics with one name cannot both be handled', () => {
  const channel = new LocalControlChannel();
  channel.on(renamed, () => {});

  expect(() => channel.on(controlTopic('renamed', z.object({ id: z.string() })), () => {})).toThrow(
    'two different control topics are named "renamed"',
  );
});
