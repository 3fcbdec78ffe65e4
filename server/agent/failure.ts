/** Turns a failed run's error (the model's, or the graph's) into a reason a person can act on; the full error goes to the log. */
export function describeRunFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const silent = silenceOf(error);
  if (silent) {
    return `The language model stopped answering (${silent.message}), so the run was stopped. Your message is kept; try again.`;
  }
  if (name === 'GraphRecursionError') {
    return 'The assistant took too many steps without finishing, so the run was stopped. Your messages are kept; try rephrasing.';
  }
  const status = statusOf(error);
  if (status === 429)
    return 'The language model is rate-limited (HTTP 429) and still was after several retries. Your message is kept; try again in a moment.';
  if (status === 401 || status === 403) {
    return `The language model refused the server's credentials (HTTP ${status}). An admin should check the LLM settings.`;
  }
  if (status !== undefined && status >= 500) {
    return `The language model service failed (HTTP ${status}) and still did after several retries. Your message is kept; try again later.`;
  }
  if (status !== undefined) return `The language model refused the request (HTTP ${status}): ${message}`;
  // The OpenAI client's error classes keep the generic name 'Error'; their constructors say what happened.
  const kind = error instanceof Error ? error.constructor.name : '';
  if (kind === 'APIConnectionError' || name === 'TimeoutError') {
    return 'The language model service could not be reached. Your message is kept; try again later.';
  }
  if (error instanceof SyntaxError || /JSON|Unexpected token/i.test(message)) {
    return 'The language model sent a reply that could not be read. Your message is kept; try again.';
  }
  // The OpenAI client's wording when the azure-ad token provider (its `apiKey` function) fails.
  if (message.startsWith("Failed to get token from 'apiKey' function")) {
    return `The server could not get an access token for the language model: ${message.replace(/^[^:]*: /, '')}`;
  }
  return `The run failed: ${message}`;
}

/** A failed run's error by kind, as operators count them: a small fixed set, whatever the error said. */
export function runFailureKind(error: unknown): 'rate_limited' | 'timeout' | 'server_error' | 'auth' | 'refused' | 'unreachable' | 'other' {
  const status = statusOf(error);
  if (silenceOf(error) || (error instanceof Error && error.name === 'TimeoutError')) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status !== undefined) return status >= 500 ? 'server_error' : 'refused';
  if (error instanceof Error && error.constructor.name === 'APIConnectionError') return 'unreachable';
  if (error instanceof Error && error.message.startsWith("Failed to get token from 'apiKey' function")) return 'auth';
  return 'other';
}

/** The OpenAI client wraps errors from its fetch (an LlmSilenceError before the reply starts) as their cause. */
function silenceOf(error: unknown): Error | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'LlmSilenceError') return e;
  }
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}
