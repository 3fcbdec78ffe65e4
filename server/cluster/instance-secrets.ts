/**
 * Secrets every instance of a deployment must share (the internal MCP server's signing key), kept
 * in the database: the first instance to ask creates one, every other reads that one. Inserting
 * only if absent and then reading makes instances that start together agree without a lock.
 */
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';

/** The secret named `name` (32 random bytes, base64url), created on first use. */
export async function sharedSecret(db: AppDatabase, name: string): Promise<Uint8Array> {
  const { instanceSecrets } = db.tables;
  const fresh = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  await db.drizzle.insert(instanceSecrets).values({ name, value: fresh, createdAt: new Date() }).onConflictDoNothing();
  const [row] = await db.drizzle.select({ value: instanceSecrets.value }).from(instanceSecrets).where(eq(instanceSecrets.name, name));
  if (!row) throw new Error(`the shared secret ${name} was neither created nor found`);
  return new Uint8Array(Buffer.from(row.value, 'base64url'));
}
