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

/** Private-use characters that mark where a search snippet's matches start and end; the index never stores them. */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

/** How a query of words, each matched as a word prefix, finds, ranks and quotes rows of the message search table. */
export interface TextSearch {
  /** The full-text table to join the rows with, on SQLite; PostgreSQL searches the rows' own text through its index. */
  join: { table: SQL; on: SQL } | null;
  where: SQL;
  /** Lower is better. */
  rank: SQL;
  /** A passage of the text around the matches, each between MATCH_START and MATCH_END. */
  snippet: SQL;
}

/**
 * Full-text search of `text` (the message search table's column; `seq` its key) for rows holding
 * every word, by prefix: FTS5 on SQLite, `to_tsvector('simple', …)` (its GIN index) on PostgreSQL.
 * `words` are letters and digits only, and are quoted besides, so nothing in them is query syntax.
 */
export function textSearch(kind: Kind, columns: { seq: SQLWrapper; text: SQLWrapper }, words: readonly string[]): TextSearch {
  if (kind === 'postgres') {
    const query = sql`to_tsquery('simple', ${words.map((word) => `'${word}':*`).join(' & ')})`;
    const vector = sql`to_tsvector('simple', ${columns.text})`;
    const options = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxFragments=1, MaxWords=24, MinWords=8, ShortWord=0, FragmentDelimiter=" … "`;
    return {
      join: null,
      where: sql`${vector} @@ ${query}`,
      rank: sql`-ts_rank(${vector}, ${query})`,
      snippet: sql<string>`ts_headline('simple', ${columns.text}, ${query}, ${options})`,
    };
  }
  return {
    join: { table: sql`message_search_fts`, on: sql`message_search_fts.rowid = ${columns.seq}` },
    where: sql`message_search_fts MATCH ${words.map((word) => `"${word}"*`).join(' ')}`,
    rank: sql`bm25(message_search_fts)`,
    snippet: sql<string>`snippet(message_search_fts, 0, ${MATCH_START}, ${MATCH_END}, '…', 16)`,
  };
}
