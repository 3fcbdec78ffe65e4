import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new migration after db/schema.ts changes; start-up applies them.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
