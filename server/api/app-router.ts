/**
 * The API's type, as other services see it. Declared from a value whose inferred type is the
 * router's shape alone: declaration files built from it never mention the factory's server-side
 * dependencies (database, Bun), so a consumer typechecks with only @trpc/* and zod installed.
 */
import { createAppRouter } from './root.ts';

const shape = () => createAppRouter(undefined as never);
export type AppRouter = ReturnType<typeof shape>;
