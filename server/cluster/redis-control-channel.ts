/**
 * The control channel in cluster mode: Redis pub/sub on one channel under the deployment's prefix,
 * so a message published reaches every instance, this one included, and the code applying it is
 * the same as with the in-process channel. Every message is checked on receipt: another version
 * of Countersign (a rolling deploy) or anything else publishing there may send what this one does
 * not know; that is logged and ignored, never applied half-understood.
 *
 * Pub/sub delivers at most once: a message sent while an instance's subscription is down is lost
 * to it. Stop and deletion are also recorded on the run's lease, which its holder re-reads at every
 * renewal; other messages are not replayed: once subscribed again, the channel tells its
 * `onResubscribed` listeners, which bring what this instance holds in line with the database.
 */
import type { RedisClient } from 'bun';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import { type ControlChannel, ControlHandlers, type ControlTopic, readMessage } from './control-channel.ts';
import { connectRedis, connectRedisSubscriber, type RedisTarget, reconnectDelayMs } from './redis.ts';

/** What travels on the wire: the topic's name, and its message, checked against that topic's schema on receipt. */
const envelope = z.object({ topic: z.string(), message: z.unknown() });

export class RedisControlChannel implements ControlChannel {
  readonly #handlers = new ControlHandlers();
  readonly #resubscribed = new Set<() => void | Promise<void>>();
  readonly #channel: string;
  readonly #publisher: RedisClient;
  #subscriber: RedisClient | undefined;
  #closed = false;

  private constructor(
    private readonly target: RedisTarget,
    private readonly log: Logger,
  ) {
    this.#channel = `${target.keyPrefix}control`;
    this.#publisher = connectRedis(target);
  }

  /** A channel already subscribed: whatever is published once this resolves reaches it. */
  static async open(options: { target: RedisTarget; log: Logger }): Promise<RedisControlChannel> {
    const channel = new RedisControlChannel(options.target, options.log);
    try {
      await channel.#subscribe();
    } catch (error) {
      await channel.close();
      throw error;
    }
    return channel;
  }

  async publish<T>(topic: ControlTopic<T>, message: T): Promise<void> {
    await this.#publisher.publish(this.#channel, JSON.stringify({ topic: topic.name, message }));
  }

  on<T>(topic: ControlTopic<T>, handler: (message: T) => void): () => void {
    return this.#handlers.on(topic, handler);
  }

  onResubscribed(listener: () => void | Promise<void>): () => void {
    this.#resubscribed.add(listener);
    return () => this.#resubscribed.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subscriber?.close();
    this.#publisher.close();
  }

  /** Its own connection (a subscribed one can do nothing else), opened again whenever it drops. */
  async #subscribe(): Promise<void> {
    const subscriber = connectRedisSubscriber(this.target);
    try {
      await subscriber.connect();
      // Named for its channel, so an operator (or a test) tells it apart in CLIENT LIST.
      await subscriber.send('CLIENT', ['SETNAME', this.#channel.replaceAll(/\s/g, '_')]);
      await subscriber.subscribe(this.#channel, (raw) => this.#receive(raw));
    } catch (error) {
      subscriber.close();
      throw error;
    }
    if (this.#closed) return subscriber.close();
    this.#subscriber = subscriber;
    subscriber.onclose = (error) => {
      if (this.#closed) return;
      this.log.warn('the control channel lost its Redis subscription; reconnecting', { error });
      void this.#resubscribe();
    };
  }

  async #resubscribe(): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      await Bun.sleep(reconnectDelayMs(attempt));
      if (this.#closed) return;
      try {
        await this.#subscribe();
      } catch (error) {
        this.log.warn('resubscribing the control channel failed; trying again', { error, retryInMs: reconnectDelayMs(attempt + 1) });
        continue;
      }
      if (this.#closed) return;
      this.log.info('the control channel is subscribed again');
      return this.#catchUp();
    }
  }

  /** After subscribing, so a change made while the listeners catch up arrives as a message. */
  async #catchUp(): Promise<void> {
    await Promise.all(
      [...this.#resubscribed].map(async (listener) => {
        try {
          await listener();
        } catch (error) {
          this.log.error('catching up after the control channel was down failed', { error });
        }
      }),
    );
  }

  #receive(raw: string): void {
    const read = this.#read(raw);
    if ('refused' in read) {
      this.log.warn(`ignored a control message: ${read.refused}`, { message: raw.slice(0, 200) });
      return;
    }
    try {
      this.#handlers.deliver(read.topic, read.message);
    } catch (error) {
      this.log.error('applying a control message failed', { topic: read.topic.name, error });
    }
  }

  /** The message and its topic, or why it is not one this instance can apply. */
  #read(raw: string): { topic: ControlTopic<unknown>; message: unknown } | { refused: string } {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return { refused: 'it is not JSON' };
    }
    const wrapped = envelope.safeParse(data);
    if (!wrapped.success) return { refused: 'it is not a topic and a message' };
    const topic = this.#handlers.topicNamed(wrapped.data.topic);
    if (!topic) return { refused: `its topic ${JSON.stringify(wrapped.data.topic)} is not one this instance listens to` };
    const read = readMessage(topic, wrapped.data.message);
    return 'refused' in read ? read : { topic, message: read.message };
  }
}
