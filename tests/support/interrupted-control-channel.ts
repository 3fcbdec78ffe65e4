/**
 * One instance's view of a shared control channel whose subscription drops and comes back, as
 * Redis pub/sub behaves: while it is down, messages published anywhere never reach this instance
 * (its own publishes still go out); once it is back, its users hear they may have missed some.
 */
import type { ControlChannel, ControlTopic } from '../../server/cluster/control-channel.ts';

export class InterruptedControlChannel implements ControlChannel {
  readonly #resubscribed = new Set<() => void | Promise<void>>();
  #down = false;

  constructor(private readonly shared: ControlChannel) {}

  publish<T>(topic: ControlTopic<T>, message: T): Promise<void> {
    return this.shared.publish(topic, message);
  }

  on<T>(topic: ControlTopic<T>, handler: (message: T) => void): () => void {
    return this.shared.on(topic, (message) => {
      if (!this.#down) handler(message);
    });
  }

  onResubscribed(listener: () => void | Promise<void>): () => void {
    this.#resubscribed.add(listener);
    return () => this.#resubscribed.delete(listener);
  }

  async close(): Promise<void> {}

  /** The subscription drops: what is published from now on is lost to this instance. */
  drop(): void {
    this.#down = true;
  }

  /** The subscription is back; resolves once every user has caught up. */
  async resubscribe(): Promise<void> {
    this.#down = false;
    await Promise.all([...this.#resubscribed].map((listener) => listener()));
  }
}
