/**
 * Waiting for something that happens in its own time (a server to come up, a handler to be
 * evicted, a request to arrive): polls `check` until it returns a truthy value, and returns that.
 * The deadline only stops a wait that would never end; it is generous so that a loaded machine
 * is slow, not failing, and the error names what was awaited. Prefer an event (Recorder.until)
 * when there is one.
 */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await Bun.sleep(25);
  }
}
