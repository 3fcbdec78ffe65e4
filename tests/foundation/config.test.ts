import { describe, expect, test } from 'bun:test';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  test('runs with no settings at all on embedded defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(resolve('./data'));
    expect(config.databasePath).toBe(resolve('./data/countersign.db'));
    expect(config.checkpointDatabasePath).toBe(config.databasePath);
    expect(config.auth.authority).toBeUndefined();
    expect(config.llm.provider).toBe('demo');
  });

  test('an Entra tenant gives the public-cloud authority and allows only that tenant', () => {
    const config = loadConfig({ ENTRA_TENANT_ID: 'contoso-tid', OIDC_CLIENT_ID: 'app' });
    expect(config.auth.authority).toBe('https://login.microsoftonline.com/contoso-tid/v2.0');
    expect(config.auth.allowedTenants).toEqual(['contoso-tid']);
  });

  test('a bad value is refused with the setting named and what is wrong', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual([expect.stringMatching(/^PORT="abc": .*number/)]);
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT="70000": .*65535/)]);
    expect(problemsOf({ LLM_PROVIDER: 'gpt' })).toEqual([expect.stringMatching(/^LLM_PROVIDER="gpt": .*"demo"/)]);
    expect(problemsOf({ OIDC_AUTHORITY: 'ftp://idp' })).toEqual([expect.stringMatching(/^OIDC_AUTHORITY=.*http\(s\) URL/)]);
  });

  test('every bad setting is reported at once', () => {
    expect(problemsOf({ PORT: '-1', LOG_LEVEL: 'loud' })).toHaveLength(2);
  });

  test('development sign-in refuses production mode', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringContaining('development sign-in refuses')]);
  });

  test('a provider other than the demo model needs its endpoint', () => {
    expect(problemsOf({ LLM_PROVIDER: 'openai' })).toEqual([expect.stringContaining('LLM_BASE_URL')]);
  });

  test('cluster mode is off unless configured, and needs PostgreSQL, Redis, a public URL and a real provider together', () => {
    expect(loadConfig({}).cluster).toBeUndefined();
    const cluster = {
      DATABASE_URL: 'postgres://app@db:5432/countersign',
      REDIS_URL: 'redis://cache:6379',
      PUBLIC_URL: 'https://chat.example.org',
      OIDC_AUTHORITY: 'https://idp.example.org',
      OIDC_CLIENT_ID: 'countersign',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(loadConfig(cluster).cluster).toEqual({
      databaseUrl: cluster.DATABASE_URL,
      databaseSchema: 'public',
      redisUrl: cluster.REDIS_URL,
      redisKeyPrefix: 'countersign:',
      runLeaseMs: 10_000,
    });
    const { REDIS_URL: _redis, ...noRedis } = cluster;
    expect(problemsOf(noRedis)).toEqual([expect.stringMatching(/^REDIS_URL: cluster mode needs both/)]);
    const { DATABASE_URL: _db, ...noDatabase } = cluster;
    expect(problemsOf(noDatabase)).toEqual([expect.stringMatching(/^DATABASE_URL: cluster mode needs both/)]);
    const { PUBLIC_URL: _url, ...noPublicUrl } = cluster;
    expect(problemsOf(noPublicUrl)).toEqual([expect.stringMatching(/^PUBLIC_URL: required in cluster mode/)]);
    const { TOKEN_ENCRYPTION_KEY: _key, ...noKey } = cluster;
    expect(problemsOf(noKey)).toEqual([expect.stringMatching(/^TOKEN_ENCRYPTION_KEY: required in cluster mode/)]);
    const { OIDC_AUTHORITY: _authority, OIDC_CLIENT_ID: _client, ...devSignIn } = cluster;
    expect(problemsOf(devSignIn)).toEqual([expect.stringContaining('needs a real OpenID provider')]);
    expect(problemsOf({ ...cluster, DATABASE_URL: 'mysql://db/x' })).toEqual([expect.stringMatching(/^DATABASE_URL=.*postgres:\/\//)]);
    expect(problemsOf({ ...cluster, DATABASE_SCHEMA: 'Robert"; drop' })).toEqual([expect.stringMatching(/^DATABASE_SCHEMA=.*identifier/)]);
  });

  test('token encryption keys are 32 bytes, as base64 or hex, and a bad one is named', () => {
    const key = Buffer.alloc(32, 1);
    expect(loadConfig({ TOKEN_ENCRYPTION_KEY: key.toString('base64') }).tokenEncryption.key).toEqual(key);
    expect(loadConfig({ TOKEN_ENCRYPTION_KEY: key.toString('hex') }).tokenEncryption.key).toEqual(key);
    expect(
      loadConfig({ TOKEN_ENCRYPTION_OLD_KEYS: `${key.toString('hex')}, ${Buffer.alloc(32, 2).toString('base64')}` }).tokenEncryption
        .oldKeys,
    ).toHaveLength(2);
    expect(problemsOf({ TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' })).toEqual([
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEY=.*must be 32 random bytes.*got 5 bytes/),
    ]);
  });

  test('start-up with a bad setting exits with a message naming it', async () => {
    const proc = Bun.spawn([process.execPath, 'server/main.ts'], {
      env: { ...process.env, PORT: 'not-a-port', DATA_DIR: resolve('data/never-created') },
      stderr: 'pipe',
      stdout: 'pipe',
    });
    expect(await proc.exited).toBe(78);
    expect(await new Response(proc.stderr).text()).toContain('PORT="not-a-port"');
  }, 60_000);
});
