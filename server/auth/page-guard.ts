/**
 * For the server's web pages: the signed-in user, or a redirect to sign-in that brings the
 * person back to the page they asked for.
 */
import type { SessionUser } from '../../shared/types.ts';
import type { AuthService } from './auth-service.ts';

export async function requireSignInRedirect(auth: AuthService, request: Request): Promise<SessionUser | Response> {
  const user = await auth.authenticate(request);
  if (user) return user;
  const url = new URL(request.url);
  const login = `/auth/login?returnTo=${encodeURIComponent(url.pathname + url.search)}`;
  return new Response(null, { status: 302, headers: { location: login, 'cache-control': 'no-store' } });
}
