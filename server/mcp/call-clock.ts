/**
 * A tool call's time limit: it runs out after `ms` with neither an answer nor progress, and stands
 * still while the server waits for the person (a question in the chat may take minutes). The
 * SDK's own request timeout cannot stand still, so calls are timed here and cancelled through
 * their signal, which still sends the server `notifications/cancelled`.
 */
export class CallClock {
  readonly #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waitingOnPerson = 0;
  #ranOut = false;

  constructor(
    private readonly ms: number,
    outer?: AbortSignal,
  ) {
    outer?.addEventListener('abort', () => this.#controller.abort(outer.reason), { once: true });
    this.#start();
  }

  /** Aborted when the caller gives up or the time runs out. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get ranOut(): boolean {
    return this.#ranOut;
  }

  /** The server reported progress: the full time again. */
  progressed(): void {
    if (this.#waitingOnPerson === 0) this.#start();
  }

  /** Stands still until the person has answered; the full time again after that. */
  async whilePersonAnswers<T>(answer: () => Promise<T>): Promise<T> {
    this.#waitingOnPerson++;
    clearTimeout(this.#timer);
    try {
      return await answer();
    } finally {
      if (--this.#waitingOnPerson === 0 && !this.#controller.signal.aborted) this.#start();
    }
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #start(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#ranOut = true;
      this.#controller.abort(new Error('the call ran out of time'));
    }, this.ms);
  }
}
