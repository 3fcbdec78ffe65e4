/**
 * fetch for the LLM client that retries what is worth retrying: 429 and 5xx answers, and failed
 * connections, with exponential backoff and full jitter, honouring a short Retry-After. Streams
 * fail before their first byte when the server is overloaded, so a retry here covers streamed
 * replies too. It never retries after a response body has started reaching the caller.
 */
import { LlmSilenceError } from './silence-limit.ts';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 8_000 };

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function retryingFetch(policy: RetryPolicy, inner: Fetch = fetch): Fetch {
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const signal = init?.signal ?? undefined;
      let response: Response;
      try {
        response = await inner(input, init);
      } catch (error) {
        if (signal?.aborted || attempt >= policy.retries || !isConnectionFailure(error)) throw error;
        await sleep(backoff(policy, attempt), signal);
        continue;
      }
      if (!isRetryable(response.status) || attempt >= policy.retries) return response;
      const hinted = retryAfterMs(response.headers.get('retry-after'));
      // A server asking for a longer pause than we would wait gets its answer passed on instead.
      if (hinted !== undefined && hinted > policy.maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(hinted ?? backoff(policy, attempt), signal);
    }
  };
}

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** A model that stayed silent past the limit is not retried: each retry would wait that long again. */
function isConnectionFailure(error: unknown): boolean {
  return error instanceof Error && error.name !== 'AbortError' && !(error instanceof LlmSilenceError);
}

function backoff(policy: RetryPolicy, attempt: number): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
