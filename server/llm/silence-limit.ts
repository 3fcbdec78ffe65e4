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
    const release = () => caller?.removeEventListener('abort', forwardAbort);
    const giveUp = () => {
      release();
      connection.abort(new LlmSilenceError(limitMs));
    };

    let response: Response;
    try {
      response = await withinSilence(inner(input, { ...init, signal: connection.signal }), limitMs, giveUp);
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
    // Pull-based: the clock runs only while waiting on the network, never while the reader is busy.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await withinSilence(reader.read(), limitMs, giveUp);
          if (done) {
            release();
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** `work`'s result, or LlmSilenceError once `limitMs` passes first (after calling `onSilence`). */
function withinSilence<T>(work: Promise<T>, limitMs: number, onSilence: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onSilence();
      reject(new LlmSilenceError(limitMs));
    }, limitMs);
  });
  // The abort that onSilence sends makes `work` reject too; that rejection is expected, not unhandled.
  work.catch(() => {});
  return Promise.race([work, silence]).finally(() => clearTimeout(timer));
}
