/**
 * fetch for the LLM client that bounds how long the model may stay silent: until its response
 * starts, and between two pieces of a streamed reply. The OpenAI client's own timeout covers only
 * the wait for response headers (10 minutes by default); a stream that stalls after its headers
 * held its chat run, and the chat, forever. A silent model now fails the run with a reason a
 * person can act on (see agent/failure.ts), and its connection is closed.
 */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export class LlmSilenceError extends Error {
  override name = 'LlmSilenceError';
  constructor(readonly silentMs: number) {
    // Worded without "timed out": the OpenAI client would turn that into an error that drops its cause.
    super(`the language model sent nothing for ${Math.round(silentMs / 1000)} s`);
  }
}

export function silenceLimitedFetch(limitMs: number, inner: Fetch = fetch): Fetch {
  return async (input, init) => {
    const connection = new AbortController();
    const caller = init?.signal ?? undefined;
    const forwardAbort = () => connection.abort(caller?.reason);
    if (caller?.aborted) forwardAbort();
    else caller?.addEventListener('abort', forwardAbort, { once: true });
    const silenced = Promise.withResolvers<never>();
    // Whoever is waiting when the limit passes hears of it through `silenced`; nobody may be.
    silenced.promise.catch(() => {});
    const watch = new SilenceWatch(limitMs, () => {
      const error = new LlmSilenceError(limitMs);
      release();
      // Rejected before the abort, so a reader hears of the silence, not of the abort it causes.
      silenced.reject(error);
      connection.abort(error);
    });
    const release = () => {
      watch.stop();
      caller?.removeEventListener('abort', forwardAbort);
    };

    let response: Response;
    try {
      watch.waiting();
      const started = inner(input, { ...init, signal: connection.signal });
      // The abort that the silence sends makes `started` reject too; that rejection is expected, not unhandled.
      started.catch(() => {});
      response = await Promise.race([started, silenced.promise]);
      watch.heard();
    } catch (error) {
      release();
      throw error;
    }
    const source = response.body;
    if (!source) {
      release();
      return response;
    }
    const reader = source.getReader();
    let ended = false;
    const end = (close: () => void) => {
      if (ended) return;
      ended = true;
      release();
      close();
    };
    // Pull-based: the clock runs only while waiting on the network, never while the reader is busy.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // A transport that ignores the abort still leaves no reader hanging.
        silenced.promise.catch((error: unknown) => end(() => controller.error(error)));
      },
      async pull(controller) {
        watch.waiting();
        try {
          const { done, value } = await reader.read();
          watch.heard();
          if (done) end(() => controller.close());
          else if (!ended) controller.enqueue(value);
        } catch (error) {
          end(() => controller.error(error));
        }
      },
      cancel(reason) {
        end(() => {});
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * Notices a wait that lasts `limitMs`. One timer per request, moved on only when it fires (at
 * most once per limit) instead of being set and cleared for every piece of a reply: a streamed
 * reply brings one piece per token, and a timer plus a promise race for each showed in its CPU.
 */
class SilenceWatch {
  /** When the wait going on began (performance.now()); undefined while nobody waits on the model. */
  #since: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limitMs: number,
    private readonly onSilence: () => void,
  ) {}

  waiting(): void {
    this.#since = performance.now();
    this.#timer ??= setTimeout(this.#check, this.limitMs);
  }

  heard(): void {
    this.#since = undefined;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#since = undefined;
  }

  #check = (): void => {
    this.#timer = undefined;
    if (this.#since === undefined) return;
    const silentMs = performance.now() - this.#since;
    if (silentMs >= this.limitMs) this.onSilence();
    else this.#timer = setTimeout(this.#check, this.limitMs - silentMs);
  };
}
