import { afterEach, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteDatabase, type SqliteAppDatabase } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { tempDir } from '../support/test-server.ts';

const opened: SqliteAppDatabase[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(path: string) {
  const db = openSqliteDatabase(path);
  opened.push(db);
  return db;
}

function tableNames(db: SqliteAppDatabase): string[] {
  return db.sqlite
    .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);
}

describe('app database', () => {
  test('migrations create every table in an empty database file', () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = open(join(dir, 'nested', 'app.db'));
    expect(tableNames(db)).toEqual(
      expect.arrayContaining([
        'users',
        'sessions',
        'api_tokens',
        'mcp_servers',
        'mcp_connections',
        'chats',
        'tool_call_audit',
        'notes',
        'user_tool_preferences',
        'held_tool_definitions',
        'instance_secrets',
      ]),
    );
  });

  test('reopening applies nothing twice and keeps the data', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir, 'app.db');
    const first = open(path);
    const applied = first.sqlite.query('SELECT count(*) AS n FROM __drizzle_migrations').get();
    await first.drizzle.insert(users).values({ id: 'u1', issuer: 'https://idp', subject: 's1', email: 'a@b.c' });
    await first.close();

    const second = open(path);
    expect(second.sqlite.query('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual(applied);
    expect((await second.drizzle.select().from(users)).map((u) => u.email)).toEqual(['a@b.c']);
  });

  test('runs with WAL, a busy timeout and foreign keys enforced', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = open(join(dir, 'app.db'));
    expect(db.sqlite.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.sqlite.query('PRAGMA busy_timeout').get()).toEqual({ timeout: 5000 });
    expect(() => db.sqlite.run("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('h', 'no-such-user', 0)")).toThrow(
      /FOREIGN KEY/,
    );
  });

  test('ping reports a closed database as down', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = open(join(dir, 'app.db'));
    expect(await db.ping()).toBe(true);
    await db.close();
    expect(await db.ping()).toBe(false);
  });
});
