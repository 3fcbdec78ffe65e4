/**
 * Countersign's side of MCP OAuth on its own origin: GET start (from "Sign in to <server>": to the
 * authorisation server), GET callback (back from it: to the chat the person came from), and the
 * Client ID Metadata Document authorisation servers fetch to learn who Countersign is. Start and
 * callback need the person's session; a failure renders a short page saying what happened.
 */
import { Elysia } from 'elysia';
import type { AuthService } from '../../auth/auth-service.ts';
import { escapeHtml, htmlResponse } from '../../auth/html.ts';
import { requireSignInRedirect } from '../../auth/page-guard.ts';
import type { Logger } from '../../log.ts';
import { CLIENT_METADATA_PATH, SIGN_IN_CALLBACK_PATH, SIGN_IN_START_PATH } from './paths.ts';
import { clientMetadata } from './person-provider.ts';
import { McpSignInError, type McpSignIn } from './sign-in.ts';

export interface McpOAuthRoutesDeps {
  signIn: McpSignIn;
  auth: AuthService;
  origin: () => string;
  log: Logger;
  /** The person is back from signing in to `serverId`: what waited for it (in the page they return to) goes on. */
  signedIn: (userId: string, serverId: string, returnTo: string) => Promise<void>;
}

export function mcpOAuthRoutes({ signIn, auth, origin, log, signedIn }: McpOAuthRoutesDeps) {
  const failed = (error: unknown) => {
    const failure = error instanceof McpSignInError ? error : new McpSignInError(500, 'Something went wrong on the server. Try again.');
    if (failure.status >= 500) log.error('mcp sign-in failed', { error });
    else log.warn('mcp sign-in refused', { reason: failure.message });
    const back = escapeHtml(failure.returnTo);
    return htmlResponse(
      failure.status,
      'Sign-in to the server did not finish',
      `<p>${escapeHtml(failure.message)}</p><p><a href="${back}">Back to Countersign</a></p>`,
    );
  };

  return new Elysia({ name: 'mcp-oauth-routes' })
    .get(SIGN_IN_START_PATH, async ({ request }) => {
      const user = await requireSignInRedirect(auth, request);
      if (user instanceof Response) return user;
      const query = new URL(request.url).searchParams;
      const serverId = query.get('server');
      if (!serverId) return failed(new McpSignInError(400, 'Which server? The link is missing its server.'));
      try {
        return redirect(await signIn.start(user.id, serverId, query.get('returnTo')));
      } catch (error) {
        return failed(error);
      }
    })
    .get(SIGN_IN_CALLBACK_PATH, async ({ request }) => {
      const user = await requireSignInRedirect(auth, request);
      if (user instanceof Response) return user;
      try {
        const { returnTo, serverId } = await signIn.finish(user.id, new URL(request.url).searchParams);
        // Before the redirect, so the chat the person returns to already shows its calls going again.
        await signedIn(user.id, serverId, returnTo).catch((error: unknown) => log.error('resuming after a sign-in failed', { error }));
        return redirect(returnTo);
      } catch (error) {
        return failed(error);
      }
    })
    .get(CLIENT_METADATA_PATH, () => {
      const self = `${origin()}${CLIENT_METADATA_PATH}`;
      // The document's client_id is its own URL (draft-ietf-oauth-client-id-metadata-document); a public client, PKCE only.
      const document = {
        ...clientMetadata(`${origin()}${SIGN_IN_CALLBACK_PATH}`, undefined),
        client_id: self,
        client_uri: origin(),
        token_endpoint_auth_method: 'none',
      };
      return new Response(JSON.stringify(document), {
        headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' },
      });
    });
}

function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } });
}
