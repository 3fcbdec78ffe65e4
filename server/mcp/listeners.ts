/** A typed set of listeners: one listener throwing is reported and never keeps the others from hearing. */
export class Listeners<T> {
  readonly #listeners = new Set<(event: T) => void>();

  constructor(private readonly onError: (error: unknown, event: T) => void) {}

  /** Returns the function that removes the listener. */
  add(listener: (event: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error, event);
      }
    }
  }
}
