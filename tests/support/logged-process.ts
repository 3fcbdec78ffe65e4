/**
 * A child process whose output is kept (its last lines), to be shown when a test fails, and whose
 * exit is reported at once when nobody asked it to stop: a cluster member that crashes mid-test
 * fails the test with its own last words (console.error fails it; see console-errors.ts).
 * Every such process is killed after the run's last test, even after a test timed out before its
 * teardown ran (child-processes.ts).
 */
import { trackChild } from './child-processes.ts';

const KEPT_LINES = 1_000;

export class LoggedProcess {
  readonly #proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>;
  readonly #lines: string[] = [];
  #stopping = false;
  /** The exit code (or signal number + 128); resolves once both output streams are read to the end. */
  readonly exited: Promise<number>;

  constructor(
    readonly name: string,
    cmd: string[],
    env: Record<string, string | undefined>,
  ) {
    this.#proc = trackChild(Bun.spawn(cmd, { env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' }));
    const drained = Promise.all([this.#keep(this.#proc.stdout), this.#keep(this.#proc.stderr)]);
    this.exited = this.#proc.exited.then(async (code) => {
      await drained;
      if (!this.#stopping) console.error(`${this.name} (pid ${this.pid}) exited unexpectedly with ${code}; its output:\n${this.output()}`);
      return code;
    });
  }

  get pid(): number {
    return this.#proc.pid;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  /** Sends a signal (SIGTERM: a graceful stop, SIGKILL: a crash) and waits for the process to end. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
    this.#stopping = true;
    if (this.running) this.#proc.kill(signal);
    return this.exited;
  }

  /** Its last lines of stdout and stderr, interleaved as they arrived. */
  output(): string {
    return this.#lines.map((line) => `  ${this.name} | ${line}`).join('\n');
  }

  async #keep(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let partial = '';
    for await (const chunk of stream) {
      const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
      partial = lines.pop() ?? '';
      this.#lines.push(...lines);
      if (this.#lines.length > KEPT_LINES) this.#lines.splice(0, this.#lines.length - KEPT_LINES);
    }
    if (partial) this.#lines.push(partial);
  }
}
