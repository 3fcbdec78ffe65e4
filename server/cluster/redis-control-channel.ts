/**
 * The control channel in cluster mode: Redis pub/sub on one channel under the deployment's prefix,
 * so a message published reaches every instance, this one included, and the code applying it is
 * the same as with the in-process channel. Every message is checked on receipt: another version
 * of Countersign (a rolling deploy) or anything else publishing there may send what this one does
 * not know; that is logged and ignored, never applied half-understood.
 *
 * Pub/sub delivers at most once: a message sent while an instance's subscription is down is lost
 * to it. Its users keep a way back: leases lapse and are re-read, a Stop can be pressed again.
 */
import type { RedisClient } from 'bun';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import type { CatalogueChange } from '../mcp/catalogue.ts';
import { type ControlChannel, ControlHandlers, type ControlMessage, type ControlOf, type ControlType } from './control-channel.ts';
import { connectRedis, connectRedisSubscriber, type RedisTarget } from './redis.ts';

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

const catalogueChange: z.ZodType<CatalogueChange> = z.union([
  z.object({ type: z.enum(['updated', 'disabled', 'deleted', 'policy-changed']), serverId: z.string() }),
  z.object({ type: z.literal('tool-approved'), serverId: z.string(), toolName: z.string() }),
]);

const message = <T extends ControlType, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

/** One schema per message type; a type added to ControlMessage without one here does not compile. */
const schemas: { [T in ControlType]: z.ZodType<ControlOf<T>> } = {
  'stop-run': message('stop-run', { chatId: z.string() }),
  'chat-deleted': message('chat-deleted', { chatId: z.string() }),
  'run-released': message('run-released', { chatId: z.string() }),
  'sessions-ended': message('sessions-ended', { userId: z.string(), tokenHash: z.string().optional() }),
  'catalogue-changed': message('catalogue-changed', { id: z.string(), change: catalogueChange }),
  'connections-changed': message('connections-changed', { userId: z.string(), serverId: z.string() }),
};

export class RedisControlChannel implements ControlChannel {
  readonly #handlers = new ControlHandlers();
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

  async publish(message: ControlMessage): Promise<void> {
    await this.#publisher.publish(this.#channel, JSON.stringify(message));
  }

  on<T extends ControlType>(type: T, handler: (message: ControlOf<T>) => void): () => void {
    return this.#handlers.on(type, handler);
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
    for (let delay = RECONNECT_FIRST_MS; !this.#closed; delay = Math.min(delay * 2, RECONNECT_MAX_MS)) {
      await Bun.sleep(delay);
      if (this.#closed) return;
      try {
        await this.#subscribe();
        this.log.info('the control channel is subscribed again');
        return;
      } catch (error) {
        this.log.warn('resubscribing the control channel failed; trying again', { error, retryInMs: delay });
      }
    }
  }

  #receive(raw: string): void {
    const parsed = parseMessage(raw);
    if (typeof parsed === 'string') {
      this.log.warn(`ignored a control message: ${parsed}`, { message: raw.slice(0, 200) });
      return;
    }
    try {
      this.#handlers.deliver(parsed);
    } catch (error) {
      this.log.error('applying a control message failed', { type: parsed.type, error });
    }
  }
}

/** The message, or why it is not one this instance can apply. */
function parseMessage(raw: string): ControlMessage | string {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return 'it is not JSON';
  }
  const type = (data as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) return `its type ${JSON.stringify(type)} is not one this version knows`;
  const result = schemas[type as ControlType].safeParse(data);
  return result.success ? result.data : `it is not a valid ${type} message (${result.error.issues[0]?.message})`;
}
