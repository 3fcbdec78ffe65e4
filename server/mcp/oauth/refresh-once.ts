/**
 * One refresh per refresh token. A connection that meets an expired token can ask to refresh it
 * twice at once (its event stream and a request both get 401), and authorisation servers that
 * rotate refresh tokens treat the second use of the same one as theft and revoke the whole grant:
 * the person would be signed out for nothing. Token requests go through this fetch, so a refresh
 * already made (or in flight) with the same refresh token is answered with the same response,
 * for a minute, instead of being sent again.
 */
import type { FetchLike } from '@modelcontextprotocol/client';

const REMEMBER_MS = 60_000;

interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

const answers = new Map<string, Promise<Answer>>();

/** The refresh token of a token request, if it is a refresh. */
function refreshTokenOf(init: RequestInit | undefined): string | undefined {
  if (init?.method?.toUpperCase() !== 'POST') return undefined;
  const body = init.body;
  const params = body instanceof URLSearchParams ? body : typeof body === 'string' ? new URLSearchParams(body) : undefined;
  return params?.get('grant_type') === 'refresh_token' ? (params.get('refresh_token') ?? undefined) : undefined;
}

export function refreshingOnce(base: FetchLike): FetchLike {
  return async (input, init) => {
    const refreshToken = refreshTokenOf(init);
    if (!refreshToken) return base(input, init);
    const key = `${input instanceof Request ? input.url : String(input)}\n${refreshToken}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = base(input, init).then(async (response) => ({
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
        body: await response.arrayBuffer(),
      }));
      answers.set(key, answer);
      // Forgotten after a while, or at once when nothing came back (a network error may be retried).
      answer.then(
        () => setTimeout(() => answers.delete(key), REMEMBER_MS).unref(),
        () => answers.delete(key),
      );
    }
    const { status, statusText, headers, body } = await answer;
    return new Response(body.slice(0), { status, statusText, headers });
  };
}
