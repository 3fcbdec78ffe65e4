/**
 * The calls one connection has running, so a request the server sends back (elicitation,
 * sampling, roots) finds the call, and so the chat, it belongs to.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class CallsInProgress<Call> {
  readonly #context = new AsyncLocalStorage<Call>();
  /** In the order they started. */
  readonly #running = new Set<Call>();

  async run<T>(call: Call, work: () => Promise<T>): Promise<T> {
    this.#running.add(call);
    try {
      return await this.#context.run(call, work);
    } finally {
      this.#running.delete(call);
    }
  }

  /**
   * The call a server's request belongs to: the one in whose async context it arrived (a 2026
   * `input_required` round, or a 2025 request on the call's own HTTP response stream); else the
   * latest call still running, since a stdio server's requests arrive on the process's read loop,
   * outside any call. With several calls running there, the latest is a guess, but always one of
   * the same person's calls to the same server.
   */
  current(): Call | undefined {
    return this.#context.getStore() ?? [...this.#running].at(-1);
  }
}
