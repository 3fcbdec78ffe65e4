import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQLite migration after db/schema.ts changes (and a PostgreSQL one: drizzle.pg.config.ts); start-up applies them.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
