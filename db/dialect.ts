/**
 * The few SQL fragments SQLite and PostgreSQL spell differently. Stores pick one by `db.kind`
 * here, so no store holds dialect-specific SQL of its own.
 */
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { AppDatabase } from './database.ts';

type Kind = AppDatabase['kind'];

/**
 * `column` contains `text`, ignoring case (SQLite's LIKE folds ASCII case; PostgreSQL needs
 * ILIKE). `%`, `_` and `\` in the text match themselves: SQLite's LIKE has no escape character
 * unless one is named.
 */
export function containsText(kind: Kind, column: SQLWrapper, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  return kind === 'postgres' ? sql`${column} ILIKE ${pattern} ESCAPE '\\'` : sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}

/** The JSON array in `column` holds the string `value`. */
export function jsonArrayHas(kind: Kind, column: SQLWrapper, value: string): SQL {
  return kind === 'postgres'
    ? sql`${column} @> jsonb_build_array(${value}::text)`
    : sql`EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ${value})`;
}

/** The JSON array in `column` without any element equal to the string `value`. */
export function jsonArrayWithout(kind: Kind, column: SQLWrapper, value: string): SQL {
  return kind === 'postgres'
    ? sql`${column} - ${value}::text`
    : sql`(SELECT json_group_array(value) FROM json_each(${column}) WHERE value != ${value})`;
}

/**
 * The JSON object in `column` with `key` set to the string `value`, edited in the row itself so
 * that concurrent edits of other keys are kept.
 */
export function jsonObjectWith(kind: Kind, column: SQLWrapper, key: string, value: string): SQL {
  return kind === 'postgres'
    ? sql`${column} || jsonb_build_object(${key}::text, ${value}::text)`
    : sql`json_set(${column}, ${`$.${JSON.stringify(key)}`}, ${value})`;
}

/** As `jsonObjectWith`, with a list of strings as the value. */
export function jsonObjectWithList(kind: Kind, column: SQLWrapper, key: string, values: readonly string[]): SQL {
  const list = JSON.stringify(values);
  // Sent as text and cast there: a parameter PostgreSQL types as jsonb, Bun encodes as a JSON string.
  return kind === 'postgres'
    ? sql`${column} || jsonb_build_object(${key}::text, ${list}::text::jsonb)`
    : sql`json_set(${column}, ${`$.${JSON.stringify(key)}`}, json(${list}))`;
}
