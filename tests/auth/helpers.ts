/** Small shared helpers for the sign-in tests. */
import { createCallerFactory } from '../../server/trpc/trpc.ts';
import { authRouter } from '../../server/auth/router.ts';
import type { AuthService } from '../../server/auth/auth-service.ts';
import type { HttpBrowser } from '../support/http-browser.ts';
import type { TestServer } from '../support/test-server.ts';

export const SESSION_COOKIE = 'countersign_session';

export function sessionRows(server: TestServer): number {
  return (server.db.sqlite.query('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
}

/** A request carrying the browser's cookies, as the tRPC context would receive it. */
export function requestFrom(browser: HttpBrowser, url: string): Request {
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Request(url, { headers: cookie ? { cookie } : {} });
}

/** The auth router called in-process, with the context the tRPC adapters build from a request. */
export async function authCaller(auth: AuthService, request: Request) {
  const user = await auth.authenticate(request);
  return createCallerFactory(authRouter(auth))({ user, requestId: 'test', signal: undefined });
}
