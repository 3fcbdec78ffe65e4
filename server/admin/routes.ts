/**
 * The admin feature's routes: the GraphQL API at /graphql and the console at /admin. GET and
 * POST are registered explicitly, so the web chat's GET wildcard never takes /graphql.
 */
import { Elysia } from 'elysia';
import type { Services } from '../services.ts';
import { adminConsoleRoutes } from './console.ts';
import { createAdminYoga, GRAPHQL_PATH } from './yoga.ts';

export function adminRoutes(services: Services) {
  const yoga = createAdminYoga(services);
  const handle = async (request: Request) => {
    const user = await services.auth.authenticate(request);
    return yoga.fetch(request, { user });
  };
  return (
    new Elysia({ name: 'admin' })
      .get(GRAPHQL_PATH, ({ request }) => handle(request))
      // JSON bodies only: a cross-site form can post url-encoded or text/plain bodies with the cookie, never JSON.
      .post(GRAPHQL_PATH, ({ request }) => {
        const type = request.headers.get('content-type') ?? '';
        if (!/^application\/(graphql-response\+)?json\b/i.test(type)) {
          const message = `POST /graphql needs Content-Type: application/json (got ${type || 'none'}).`;
          return Response.json({ errors: [{ message }] }, { status: 415 });
        }
        return handle(request);
      })
      .use(adminConsoleRoutes(services.auth))
  );
}
