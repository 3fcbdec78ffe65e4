/**
 * A typed set of listeners. `emit` waits for listeners that return a promise, so a caller such as
 * "disable this server" can return once everyone has acted on it; one listener failing is
 * reported and never keeps the others from hearing.
 */
export class Listeners<T> {
  readonly #listeners = new Set<(event: T) => void | Promise<void>>();

  constructor(private readonly onError: (error: unknown, event: T) => void) {}

  /** Returns the function that removes the listener. */
  add(listener: (event: T) => void | Promise<void>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async emit(event: T): Promise<void> {
    const running = [...this.#listeners].map(async (listener) => {
      try {
        await listener(event);
      } catch (error) {
        this.onError(error, event);
      }
    });
    await Promise.all(running);
  }
}
