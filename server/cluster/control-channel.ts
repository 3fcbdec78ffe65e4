/**
 * What every instance must apply at once: a run to stop, a chat deleted, a person's sessions ended,
 * a catalogue or policy change. A message published reaches every instance, this one included, so
 * the code that applies it is the same whether one instance runs or ten. In the embedded mode the
 * channel is in-process (LocalControlChannel); in cluster mode it is Redis pub/sub.
 *
 * The channel only carries messages: each feature defines its own topics, next to the code that
 * publishes them, so this infrastructure knows no feature.
 */
import type { z } from 'zod';

/** A kind of control message: its name on the wire and the schema every receiver checks it against. */
export interface ControlTopic<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
}

export function controlTopic<T>(name: string, schema: z.ZodType<T>): ControlTopic<T> {
  return { name, schema };
}

export interface ControlChannel {
  /** Reaches every instance's handlers of the topic, this one's included. */
  publish<T>(topic: ControlTopic<T>, message: T): Promise<void>;
  /** Handles a topic's messages; returns the function that stops handling them. */
  on<T>(topic: ControlTopic<T>, handler: (message: T) => void): () => void;
  /**
   * Called when the subscription is back after being down: messages published meanwhile were lost
   * to this instance, so its users bring what they hold in line with the database. Never called
   * for the first subscription, nor by a channel that cannot lose messages. Returns the function
   * that stops calling it.
   */
  onResubscribed(listener: () => void | Promise<void>): () => void;
  close(): Promise<void>;
}

/** The message as its topic's schema reads it, or why it is not one of that topic. */
export function readMessage<T>(topic: ControlTopic<T>, data: unknown): { message: T } | { refused: string } {
  const result = topic.schema.safeParse(data);
  return result.success
    ? { message: result.data }
    : { refused: `it is not a valid ${topic.name} message (${result.error.issues[0]?.message})` };
}

interface Subscribed {
  readonly topic: ControlTopic<unknown>;
  readonly handlers: Set<(message: unknown) => void>;
}

/** The handlers of one instance, by topic name. */
export class ControlHandlers {
  readonly #topics = new Map<string, Subscribed>();

  on<T>(topic: ControlTopic<T>, handler: (message: T) => void): () => void {
    const known = this.#topics.get(topic.name);
    // Two features naming their topics alike would each get the other's messages, checked against the wrong schema.
    if (known && known.topic !== topic) throw new Error(`two different control topics are named ${JSON.stringify(topic.name)}`);
    const subscribed = known ?? { topic: topic as ControlTopic<unknown>, handlers: new Set() };
    this.#topics.set(topic.name, subscribed);
    const untyped = handler as (message: unknown) => void;
    subscribed.handlers.add(untyped);
    return () => subscribed.handlers.delete(untyped);
  }

  /** The topic of that name this instance listens to, if any. */
  topicNamed(name: string): ControlTopic<unknown> | undefined {
    return this.#topics.get(name)?.topic;
  }

  /** Hands a message already checked against its topic's schema to that topic's handlers. */
  deliver<T>(topic: ControlTopic<T>, message: T): void {
    for (const handler of this.#topics.get(topic.name)?.handlers ?? []) handler(message);
  }
}

/** One process: a message reaches this process's handlers, in a microtask, as it would arrive from Redis. */
export class LocalControlChannel implements ControlChannel {
  readonly #handlers = new ControlHandlers();

  /** Checked as a receiver on Redis would check it, so handlers see the same thing in both modes; here the publisher hears a refusal. */
  async publish<T>(topic: ControlTopic<T>, message: T): Promise<void> {
    const read = readMessage(topic, message);
    if ('refused' in read) throw new Error(`a control message was refused: ${read.refused}`);
    queueMicrotask(() => this.#handlers.deliver(topic, read.message));
  }

  on<T>(topic: ControlTopic<T>, handler: (message: T) => void): () => void {
    return this.#handlers.on(topic, handler);
  }

  /** In one process nothing is ever missed. */
  onResubscribed(): () => void {
    return () => {};
  }

  async close(): Promise<void> {}
}
