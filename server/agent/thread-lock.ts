/**
 * One run at a time per thread. LangGraph itself does not make resumes idempotent: two decisions
 * sent at once would both resume the same interrupt and run the tools twice. Every send and
 * decide on a thread takes this lock, and checks the thread's state only once it holds it.
 */
export class ThreadLocks {
  #tails = new Map<string, Promise<void>>();

  /** Runs `work` after every earlier holder of `threadId` has finished. */
  async run<T>(threadId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(threadId) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.#tails.set(threadId, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // Forget the thread when nobody queued behind us, so the map does not grow with every chat ever used.
      if (this.#tails.get(threadId) === tail) this.#tails.delete(threadId);
    }
  }
}
