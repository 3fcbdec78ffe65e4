/**
 * One refresh per refresh token. A connection that meets an expired token can ask to refresh it
 * twice at once (its event stream and a request both get 401), and authorisation servers that
 * rotate refresh tokens treat the second use of the same one as theft and revoke the whole grant:
 * the person would be signed out for nothing. Token requests go through this fetch, so a refresh
 * in flight with the same refresh token is answered with the same response instead of being sent
 * again; and when the answer rotated the token, for a minute after, since that refresh token can
 * only be refused from then on. A refresh token the server kept is sent again as usual: reusing
 * it is legitimate, and only the server knows whether it was revoked meanwhile.
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

/** A successful answer that handed out a new refresh token: the one presented is spent. */
function rotated(answer: Answer, presented: string): boolean {
  if (answer.status !== 200) return false;
  try {
    const refreshToken = (JSON.parse(new TextDecoder().decode(answer.body)) as { refresh_token?: unknown }).refresh_token;
    return typeof refreshToken === 'string' && refreshToken !== presented;
  } catch {
    return false;
  }
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
      answer.then(
        (done) => {
          if (rotated(done, refreshToken)) setTimeout(() => answers.delete(key), REMEMBER_MS).unref();
          else answers.delete(key);
        },
        // Nothing came back (a network error): the refresh token was not spent, and may be tried again.
        () => answers.delete(key),
      );
    }
    const { status, statusText, headers, body } = await answer;
    return new Response(body.slice(0), { status, statusText, headers });
  };
}
