/**
 * A sign-in that cannot complete, with what the person sees: an HTTP status (400 for a broken or
 * forged response, 403 for someone who may not sign in, 500 for our own failure, 502 when the
 * provider cannot be reached),
 * a title, and a sentence they can act on. `cause` keeps the underlying error for the log.
 */
export class SignInError extends Error {
  constructor(
    readonly status: 400 | 403 | 500 | 502,
    readonly title: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${title}: ${detail}`, options);
    this.name = 'SignInError';
  }
}
