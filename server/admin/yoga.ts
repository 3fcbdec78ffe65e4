/**
 * The admin GraphQL server (graphql-yoga). The caller is authenticated before yoga runs and
 * handed in as the server context, so validation (introspection for non-admins) and the
 * resolvers' guard see the same user. GraphiQL only in development.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaLogger } from 'graphql-yoga';
import type { AdminContext } from './context.ts';
import { errorMasker } from './errors.ts';
import { schemaHiddenFromNonAdmins } from './guard.ts';
import { limitPlugins } from './limits.ts';
import type { AdminDeps } from './resolvers/deps.ts';
import { createAdminSchema } from './schema.ts';
import { tracedOperations } from '../telemetry/graphql-span.ts';

export const GRAPHQL_PATH = '/graphql';
/** The largest console request is a few KB; nothing legitimate comes near this. */
const MAX_BODY_BYTES = 200_000;

export interface AdminYogaDeps extends AdminDeps {
  /** GraphiQL at /graphql (development only). */
  graphiql: boolean;
}

export function createAdminYoga(deps: AdminYogaDeps) {
  const log = deps.log.child({ feature: 'admin-api' });
  const schema = createAdminSchema(deps);
  const logger: YogaLogger = {
    debug: () => {},
    info: () => {},
    warn: (...args) => log.warn('graphql-yoga', { detail: args.map(String) }),
    error: (...args) => log.error('graphql-yoga', { detail: args.map(String) }),
  };
  return createYoga<AdminContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: deps.graphiql ? { title: 'Countersign admin API' } : false,
    // GraphiQL's page and assets from the package itself: yoga's default loads them from a CDN,
    // which a self-hosted, offline or firewalled install cannot reach.
    renderGraphiQL,
    landingPage: false,
    logging: logger,
    maskedErrors: { maskError: errorMasker(log) },
    // Same-origin only: the console is served from this server, and no other site may read answers.
    cors: false,
    multipart: false,
    batching: false,
    maxRequestBodySize: MAX_BODY_BYTES,
    plugins: [schemaHiddenFromNonAdmins(), ...limitPlugins(), tracedOperations()],
  });
}
