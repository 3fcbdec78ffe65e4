import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new PostgreSQL migration after db/schema.pg.ts changes; start-up applies them.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.pg.ts',
  out: './db/migrations-pg',
});
