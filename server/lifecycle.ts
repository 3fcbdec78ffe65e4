/**
 * Ordered shutdown: features register what must finish or close, and `shutdown` runs those
 * steps in reverse order of registration (last started, first stopped), each bounded by a deadline.
 */
import type { Logger } from './log.ts';

type Step = { name: string; run: () => Promise<void> | void };

export class Lifecycle {
  #steps: Step[] = [];
  #stopping: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  onShutdown(name: string, run: Step['run']): void {
    this.#steps.push({ name, run });
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Idempotent: a second signal while stopping waits for the first shutdown. */
  shutdown(timeoutMs: number): Promise<void> {
    this.#stopping ??= this.#run(timeoutMs);
    return this.#stopping;
  }

  async #run(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const step of [...this.#steps].reverse()) {
      const left = Math.max(0, deadline - Date.now());
      try {
        await Promise.race([
          Promise.resolve(step.run()),
          Bun.sleep(left).then(() => {
            throw new Error(`did not finish within the shutdown timeout`);
          }),
        ]);
        this.log.debug('shutdown step done', { step: step.name });
      } catch (error) {
        this.log.error('shutdown step failed', { step: step.name, error });
      }
    }
  }
}
