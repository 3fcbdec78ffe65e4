/** Helpers shared by the MCP tests: users, child MCP servers, and waiting for things. */
import { users } from '../../db/schema.ts';
import type { AppDatabase } from '../../db/database.ts';

export async function createUser(db: AppDatabase, name: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.drizzle.insert(users).values({ id, issuer: 'https://tests.invalid', subject: id, name, email: `${name}@example.test` });
  return id;
}
