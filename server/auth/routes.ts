/**
 * The sign-in routes. GET /auth/login sends the browser to the identity provider; GET
 * /auth/callback verifies its answer and opens a session; POST /auth/logout ends it. A failed
 * sign-in renders a short page saying what went wrong, with no session. Sign-out is refused
 * unless the app's own pages ask for it.
 */
import { Elysia } from 'elysia';
import type { Logger } from '../log.ts';
import type { AuthService } from './auth-service.ts';
import { SignInError } from './errors.ts';
import { escapeHtml, htmlResponse } from './html.ts';
import { isFromAppOrigin } from './same-origin.ts';
import { CALLBACK_PATH } from './setup.ts';

export interface AuthRoutesDeps {
  auth: AuthService;
  log: Logger;
  /** PUBLIC_URL, when set. */
  publicUrl: string | undefined;
  /** The origin this server is reached at (PUBLIC_URL, or the listening address). */
  origin: () => string;
}

export function authRoutes({ auth, log, publicUrl, origin }: AuthRoutesDeps) {
  const { cookies } = auth;

  const signInFailed = (error: unknown) => {
    const failure =
      error instanceof SignInError
        ? error
        : new SignInError(
            500,
            'Sign-in failed',
            'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.',
          );
    if (failure.status >= 500) log.error('sign-in failed', { error });
    else log.warn('sign-in refused', { reason: failure.message });
    return htmlResponse(
      failure.status,
      failure.title,
      `<p>${escapeHtml(failure.detail)}</p><p><a href="/auth/login">Sign in again</a></p>`,
      [cookies.clearSignIn()],
    );
  };

  return new Elysia({ name: 'auth-routes' })
    .get('/auth/login', async ({ request }) => {
      // The provider returns to this server's own origin; a browser that came by another name
      // (localhost for 127.0.0.1) would keep its sign-in cookie on that name and fail the
      // callback. Send it to the canonical origin first. Only without PUBLIC_URL: behind a proxy
      // the request may carry an internal host, and redirecting on it could loop.
      const url = new URL(request.url);
      if (!publicUrl && url.origin !== origin()) {
        return redirect(`${origin()}${url.pathname}${url.search}`, []);
      }
      try {
        const { redirectTo, cookieValue } = await auth.beginSignIn(new URL(request.url).searchParams.get('returnTo'));
        return redirect(redirectTo.href, [cookies.setSignIn(cookieValue)]);
      } catch (error) {
        return signInFailed(error);
      }
    })
    .get(CALLBACK_PATH, async ({ request }) => {
      try {
        const { token, returnTo } = await auth.completeSignIn(request);
        return redirect(returnTo, [cookies.clearSignIn(), cookies.setSession(token)]);
      } catch (error) {
        return signInFailed(error);
      }
    })
    .post('/auth/logout', async ({ request }) => {
      if (!isFromAppOrigin(request, origin())) {
        log.warn('sign-out refused', { origin: request.headers.get('origin'), fetchSite: request.headers.get('sec-fetch-site') });
        return htmlResponse(
          403,
          'Sign-out refused',
          '<p>This sign-out request came from another site, so you are still signed in. To sign out, use Sign out in Countersign itself.</p><p><a href="/">Back to Countersign</a></p>',
        );
      }
      await auth.logout(request);
      return htmlResponse(200, 'Signed out', '<p>You are signed out of Countersign.</p><p><a href="/auth/login">Sign in again</a></p>', [
        cookies.clearSession(),
      ]);
    });
}

function redirect(location: string, setCookies: string[]): Response {
  const response = new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } });
  for (const cookie of setCookies) response.headers.append('set-cookie', cookie);
  return response;
}
