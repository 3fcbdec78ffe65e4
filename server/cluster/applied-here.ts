/**
 * Lets the instance that published a control message wait until it has applied the message
 * itself, as it arrives back like on every other instance: an admin's "disable this server"
 * returns once this instance's people are off it, as it did before messages went through the
 * channel. Bounded, so a channel that lost its way back (Redis gone) slows a request, never hangs it.
 */
export class AppliedHere {
  readonly #waiting = new Map<string, (applied: boolean) => void>();

  constructor(private readonly timeoutMs = 10_000) {}

  /** An id to send with the message, and whether it was applied here before the time ran out. */
  expect(): { id: string; applied: Promise<boolean> } {
    const id = crypto.randomUUID();
    const { promise, resolve } = Promise.withResolvers<boolean>();
    const timer = setTimeout(() => this.#settle(id, false), this.timeoutMs);
    this.#waiting.set(id, (applied) => {
      clearTimeout(timer);
      resolve(applied);
    });
    return { id, applied: promise };
  }

  /** The message with this id was applied here (ids of other instances' messages are ignored). */
  applied(id: string): void {
    this.#settle(id, true);
  }

  #settle(id: string, applied: boolean): void {
    const settle = this.#waiting.get(id);
    this.#waiting.delete(id);
    settle?.(applied);
  }
}
