/**
 * Cluster mode's start-up migration: instances starting together on a fresh schema must all come
 * up, with the schema migrated once, its tables and journal in the configured schema.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { SQL } from 'bun';
import { join } from 'node:path';
import { type AppDatabase, openDatabase } from '../../db/database.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../support/services.ts';

const journal = (await Bun.file(join(import.meta.dir, '../../db/migrations-pg/meta/_journal.json')).json()) as { entries: unknown[] };
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshSchema(): Promise<TestSchema> {
  const schema = await createTestSchema();
  cleanups.push(() => schema.drop());
  return schema;
}

async function open(schema: string): Promise<AppDatabase> {
  const db = await openDatabase({ url: TEST_DATABASE_URL, schema });
  cleanups.push(() => db.close());
  return db;
}

async function query<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const sql = new SQL({ url: TEST_DATABASE_URL, max: 1 });
  try {
    return (await sql.unsafe(text, params)) as T[];
  } finally {
    await sql.close();
  }
}

describe('PostgreSQL migrations', () => {
  test('instances opening a fresh schema at once all start, and the schema is migrated once', async () => {
    const { schema } = await freshSchema();
    const opened = await Promise.all([open(schema), open(schema), open(schema)]);
    expect(await Promise.all(opened.map((db) => db.ping()))).toEqual([true, true, true]);
    const applied = await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".__drizzle_migrations`);
    expect(applied).toEqual([{ n: journal.entries.length }]);
  });

  test('the tables and the journal live in the configured schema, which is created when missing', async () => {
    const { schema: existing } = await freshSchema();
    const schema = `${existing}_new`;
    cleanups.push(() => query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).then(() => {}));
    const db = await open(schema);
    const tables = await query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1', [
      schema,
    ]);
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['__drizzle_migrations', 'users', 'chats', 'tool_call_audit', 'held_tool_definitions', 'instance_secrets']),
    );
    await db.drizzle.insert(db.tables.users).values({ id: 'u1', issuer: 'https://idp', subject: 's1' });
    expect(await query(`SELECT id FROM "${schema}".users`)).toEqual([{ id: 'u1' }]);
  });

  test('reopening applies nothing twice and keeps the data', async () => {
    const { schema } = await freshSchema();
    const first = await open(schema);
    await first.drizzle.insert(first.tables.users).values({ id: 'u1', issuer: 'https://idp', subject: 's1', email: 'a@b.c' });
    await first.close();
    const second = await open(schema);
    expect((await second.drizzle.select().from(second.tables.users)).map((u) => u.email)).toEqual(['a@b.c']);
    expect(await query(`SELECT count(*)::int AS n FROM "${schema}".__drizzle_migrations`)).toEqual([{ n: journal.entries.length }]);
  });

  test('ping reports a closed database as down; an unreachable server fails the open with the schema named', async () => {
    const { schema } = await freshSchema();
    const db = await open(schema);
    await db.close();
    expect(await db.ping()).toBe(false);
    await expect(openDatabase({ url: 'postgres://postgres@127.0.0.1:1/test', schema })).rejects.toThrow(`PostgreSQL schema "${schema}"`);
  });
});
