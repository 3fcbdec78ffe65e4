import { Elysia } from 'elysia';
import type { AppDatabase } from '../db/database.ts';

/** `/healthz`: 200 when the database answers, 503 otherwise (and while shutting down). */
export function healthRoutes(db: AppDatabase, isStopping: () => boolean) {
  return new Elysia({ name: 'health' }).get('/healthz', async ({ set }) => {
    const database = (await db.ping()) ? 'up' : 'down';
    const status = database === 'up' && !isStopping() ? 'ok' : 'unavailable';
    set.status = status === 'ok' ? 200 : 503;
    set.headers['cache-control'] = 'no-store';
    return { status, database };
  });
}
