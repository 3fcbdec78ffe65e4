/**
 * The admin GraphQL server (graphql-yoga). The caller is authenticated before yoga runs and
 * handed in as the server context, so validation (introspection for non-admins) and the
 * resolvers' guard see the same user. GraphiQL only in development.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaLogger } from 'graphql-yoga';
import type { Services } from '../services.ts';
import type { AdminContext } from './context.ts';
import { errorMasker } from './errors.ts';
import { schemaHiddenFromNonAdmins } from './guard.ts';
import { limitPlugins } from './limits.ts';
import { createAdminSchema } from './schema.ts';
import { AdminApiTokenStore } from './stores/api-tokens.ts';
import { AdminAuditStore } from './stores/audit.ts';
import { AdminUserStore } from './stores/users.ts';

export const GRAPHQL_PATH = '/graphql';
/** The largest console request is a few KB; nothing legitimate comes near this. */
const MAX_BODY_BYTES = 200_000;

export function createAdminYoga(services: Services) {
  const log = services.log.child({ feature: 'admin-api' });
  const schema = createAdminSchema({
    services,
    users: new AdminUserStore(services.db),
    audit: new AdminAuditStore(services.db),
    tokens: new AdminApiTokenStore(services.db),
  });
  const logger: YogaLogger = {
    debug: () => {},
    info: () => {},
    warn: (...args) => log.warn('graphql-yoga', { detail: args.map(String) }),
    error: (...args) => log.error('graphql-yoga', { detail: args.map(String) }),
  };
  return createYoga<AdminContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: services.config.env === 'development' ? { title: 'Countersign admin API' } : false,
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
    plugins: [schemaHiddenFromNonAdmins(), ...limitPlugins()],
  });
}
