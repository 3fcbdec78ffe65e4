/**
 * The SQLite and PostgreSQL schemas describe the same rows. The type assertions are checked by
 * `tsc --noEmit` (npm run typecheck): db/database.ts hands the PostgreSQL tables to store code
 * typed for SQLite, which is sound only while these hold. The test checks the names SQL uses.
 */
import { describe, expect, test } from 'bun:test';
import type { Table } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as pg from '../../db/schema.pg.ts';
import * as sqlite from '../../db/schema.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type Rows<M, Kind extends '$inferSelect' | '$inferInsert'> = { [K in keyof M as M[K] extends Table ? K : never]: M[K][Kind & keyof M[K]] };
type Pair<K extends keyof typeof sqlite & keyof typeof pg> = [(typeof sqlite)[K], (typeof pg)[K]];
type SameRows<P extends [Table, Table]> = [
  Equal<P[0]['$inferSelect'], P[1]['$inferSelect']>,
  Equal<P[0]['$inferInsert'], P[1]['$inferInsert']>,
];

// Every table, both ways, so a table added to one schema only fails here too.
type BothSchemas = [
  Expect<Equal<Rows<typeof sqlite, '$inferSelect'>, Rows<typeof pg, '$inferSelect'>>>,
  Expect<Equal<Rows<typeof sqlite, '$inferInsert'>, Rows<typeof pg, '$inferInsert'>>>,
];
// Table by table, so a failure names the table.
type EachTable = [
  Expect<Equal<SameRows<Pair<'users'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'sessions'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'apiTokens'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'mcpServers'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'mcpConnections'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'chats'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'toolCallAudit'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'notes'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'userToolPreferences'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'heldToolDefinitions'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'instanceSecrets'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'messageSearch'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'models'>>, [true, true]>>,
  Expect<Equal<SameRows<Pair<'modelUsage'>>, [true, true]>>,
];

/** What SQL sees of a table, from drizzle's table config (same shape in both dialects). */
interface TableConfig {
  name: string;
  columns: { name: string; isUnique: boolean }[];
  indexes: { config: { name?: string | undefined; unique: boolean } }[];
  foreignKeys: { onDelete?: string | undefined; reference(): { columns: { name: string }[]; foreignTable: Table } }[];
  primaryKeys: { columns: { name: string }[] }[];
}

function shapeOf(module: Record<string, unknown>, isTable: (value: unknown) => boolean, configOf: (table: never) => TableConfig) {
  const config = configOf as (table: unknown) => TableConfig;
  const tables = Object.values(module).filter(isTable).map(config);
  return Object.fromEntries(
    tables.map((c) => [
      c.name,
      {
        columns: c.columns.map((col) => `${col.name}${col.isUnique ? ' unique' : ''}`).sort(),
        indexes: c.indexes.map((i) => `${i.config.name}${i.config.unique ? ' unique' : ''}`).sort(),
        foreignKeys: c.foreignKeys
          .map((fk) => {
            const r = fk.reference();
            return `${r.columns.map((col) => col.name)} → ${config(r.foreignTable).name} on delete ${fk.onDelete ?? 'no action'}`;
          })
          .sort(),
        primaryKey: c.primaryKeys.map((pk) => pk.columns.map((col) => col.name).join(',')),
      },
    ]),
  );
}

const sqliteShape = shapeOf(sqlite, (value) => value instanceof SQLiteTable, sqliteTableConfig);
const pgShape = shapeOf(pg, (value) => value instanceof PgTable, pgTableConfig);

describe('the two schemas', () => {
  test('have equal row types for every table (proven by tsc, which checks the assertions above)', () => {
    const proven: BothSchemas[number] & EachTable[number] = true;
    expect(proven).toBe(true);
  });

  test('export the same tables under the same names', () => {
    expect(Object.keys(pg).sort()).toEqual(Object.keys(sqlite).sort());
    expect(Object.keys(pgShape).sort()).toEqual(Object.keys(sqliteShape).sort());
    expect(Object.keys(sqliteShape)).toContain('held_tool_definitions');
  });

  test('have the same columns, indexes, unique constraints, primary and foreign keys', () => {
    // Message text is searched through a GIN index on PostgreSQL and an FTS5 table (migration 0008) on SQLite.
    const { message_search: pgSearch, ...pgRest } = pgShape;
    const { message_search: sqliteSearch, ...sqliteRest } = sqliteShape;
    expect(pgRest).toEqual(sqliteRest);
    expect(pgSearch!.indexes).toEqual([...sqliteSearch!.indexes, 'message_search_text'].sort());
    expect({ ...pgSearch, indexes: [] }).toEqual({ ...sqliteSearch!, indexes: [] });
  });
});
