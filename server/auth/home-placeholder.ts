/** GET /: who is signed in, and a sign-out button. Stands in until the web chat is served here. */
import { Elysia } from 'elysia';
import type { AuthService } from './auth-service.ts';
import { escapeHtml, htmlResponse } from './html.ts';
import { requireSignInRedirect } from './page-guard.ts';

export function homePlaceholderRoutes(auth: AuthService) {
  return new Elysia({ name: 'home-placeholder' }).get('/', async ({ request }) => {
    const user = await requireSignInRedirect(auth, request);
    if (user instanceof Response) return user;
    const who = escapeHtml(user.name ?? user.email ?? user.id);
    return htmlResponse(
      200,
      'Welcome',
      `<p>Signed in as <strong>${who}</strong>${user.email ? ` (${escapeHtml(user.email)})` : ''}, role ${user.role}.</p>
<form method="post" action="/auth/logout"><button type="submit">Sign out</button></form>`,
    );
  });
}
