/**
 * The PostgreSQL and Redis this machine runs, for the tests of cluster mode and of the stores on
 * PostgreSQL. Each test file takes its own schema and key prefix and removes them afterwards, so
 * files run side by side and leave nothing behind. A missing service fails the test that needs it,
 * with the command that starts it: a cluster test that skipped would hide a broken deployment.
 */
import { RedisClient, SQL } from 'bun';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const unique = () => `${process.pid.toString(36)}_${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

export interface TestSchema {
  readonly url: string;
  /** A fresh, empty schema: point DATABASE_SCHEMA (or a connection's search_path) at it. */
  readonly schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** A new empty PostgreSQL schema on the test database. */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `cs_test_${unique()}`;
  const admin = new SQL({ url: TEST_DATABASE_URL, max: 1, connectionTimeout: 5 });
  try {
    await admin.unsafe(`CREATE SCHEMA "${schema}"`);
  } catch (error) {
    await admin.close();
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${(error as Error).message}). Start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or point TEST_DATABASE_URL at one.',
    );
  }
  return {
    url: TEST_DATABASE_URL,
    schema,
    async drop() {
      try {
        await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.close();
      }
    },
  };
}

export interface TestRedis {
  readonly url: string;
  /** Every key and channel of this test starts with it. */
  readonly prefix: string;
  /** Deletes every key under the prefix. */
  clear(): Promise<void>;
}

/** A key prefix of its own on the test Redis, checked reachable. */
export async function createTestRedis(): Promise<TestRedis> {
  const prefix = `cs:test:${unique()}:`;
  const client = new RedisClient(TEST_REDIS_URL, { connectionTimeout: 5_000, autoReconnect: false });
  try {
    await client.send('PING', []);
  } catch (error) {
    client.close();
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message}). Start it with ` +
        '`redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`, or point TEST_REDIS_URL at one.',
    );
  }
  return {
    url: TEST_REDIS_URL,
    prefix,
    async clear() {
      try {
        let cursor = '0';
        do {
          const [next, keys] = (await client.send('SCAN', [cursor, 'MATCH', `${prefix}*`, 'COUNT', '500'])) as [string, string[]];
          cursor = next;
          if (keys.length) await client.send('DEL', keys);
        } while (cursor !== '0');
      } finally {
        client.close();
      }
    },
  };
}
