/**
 * The admin feature's routes: the GraphQL API at /graphql and the console at /admin. GET and
 * POST are registered explicitly, so the web chat's GET wildcard never takes /graphql.
 */
import { Elysia } from 'elysia';
import { auditExportRoute } from './audit-export/routes.ts';
import { adminConsoleRoutes } from './console.ts';
import { type AdminYogaDeps, createAdminYoga, GRAPHQL_PATH } from './yoga.ts';

export type AdminRoutesDeps = AdminYogaDeps;

export function adminRoutes(deps: AdminRoutesDeps) {
  const yoga = createAdminYoga(deps);
  const handle = async (request: Request) => {
    const user = await deps.auth.authenticate(request);
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
      // Before the console's /admin/*: registered after that wildcard, Elysia does not find the export's path.
      .use(auditExportRoute(deps))
      .use(adminConsoleRoutes(deps.auth))
  );
}
