/**
 * `/healthz` says the process is alive; `/readyz` says whether it should get new work, naming each
 * dependency it checked: unready while shutting down (before it stops serving, so a load balancer
 * stops sending first), while another connection holds the SQLite database's lock, while the
 * default model's endpoint cannot be reached, and while Redis is gone in cluster mode.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { postGraphQL, signInAdmin } from '../admin/support.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { withCluster } from '../support/cluster.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/ports.ts';
import { startTestServer, tempDir } from '../support/test-server.ts';
import { holdExclusiveLock } from './lock-holder.ts';
import { startPrivateRedis } from './private-redis.ts';
import { startMainProcess } from '../support/main-process.ts';

interface Readiness {
  status: 'ready' | 'unready';
  checks: Record<string, { ok: boolean; reason?: string }>;
}

async function probe(url: string): Promise<{ status: number; cacheControl: string | null; body: Readiness }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as Readiness };
}

const failed = (body: Readiness) =>
  Object.entries(body.checks)
    .filter(([, check]) => !check.ok)
    .map(([name]) => name);

let model: OpenAIFixture;
beforeAll(() => {
  model = startOpenAIFixture();
});
afterAll(async () => {
  await model.stop();
});
const fixtureModel = () => ({ LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_MODEL: 'fixture-model' });

describe('an embedded server', () => {
  test('is ready with every check passed, uncached; /healthz says it is alive', async () => {
    await using server = await startTestServer(fixtureModel());
    const ready = await probe(server.url);
    expect(ready.status).toBe(200);
    expect(ready.cacheControl).toBe('no-store');
    expect(ready.body.status).toBe('ready');
    expect(Object.keys(ready.body.checks).sort()).toEqual(['database', 'draining', 'model']);
    expect(failed(ready.body)).toEqual([]);
    const alive = await fetch(`${server.url}/healthz`);
    expect(alive.status).toBe(200);
    expect(alive.headers.get('cache-control')).toBe('no-store');
    expect(await alive.json()).toEqual({ status: 'ok' });
  });

  test('is unready while another connection holds the database lock, and ready again once it lets go', async () => {
    await using server = await startTestServer(fixtureModel());
    const holder = await holdExclusiveLock(server.config.databasePath);
    const locked = await probe(server.url).finally(() => holder.release());
    expect(locked.status).toBe(503);
    expect(locked.body.status).toBe('unready');
    expect(failed(locked.body)).toEqual(['database']);
    expect(locked.body.checks.database?.reason).toContain('locked by another connection');
    expect((await probe(server.url)).status).toBe(200);
    // Alive all along: a locked file is no reason to restart the process.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('is unready when its database connection does not answer, and still alive', async () => {
    await using server = await startTestServer(fixtureModel());
    await server.db.close();
    const unready = await probe(server.url);
    expect(unready.status).toBe(503);
    // The model check reads the catalogue from that database, so it cannot pass either.
    expect(failed(unready.body)).toEqual(['database', 'model']);
    expect(unready.body.checks.database?.reason).toContain('does not answer');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('with the checkpoints in a file of their own, a lock on that file makes it unready, naming it', async () => {
    const dataDir = tempDir();
    await using server = await startTestServer({
      ...fixtureModel(),
      DATA_DIR: dataDir,
      CHECKPOINT_DATABASE_PATH: join(dataDir, 'checkpoints.db'),
    });
    expect(Object.keys((await probe(server.url)).body.checks).sort()).toEqual(['checkpoints', 'database', 'draining', 'model']);
    const holder = await holdExclusiveLock(server.config.checkpointDatabasePath);
    const locked = await probe(server.url).finally(() => holder.release());
    expect(locked.status).toBe(503);
    expect(failed(locked.body)).toEqual(['checkpoints']);
    expect((await probe(server.url)).status).toBe(200);
  });

  test("is unready while the default model's endpoint cannot be reached, saying which model", async () => {
    await using server = await startTestServer({ ...fixtureModel(), LLM_BASE_URL: `http://127.0.0.1:${freePort()}/v1` });
    const unready = await probe(server.url);
    expect(unready.status).toBe(503);
    expect(failed(unready.body)).toEqual(['model']);
    expect(unready.body.checks.model?.reason).toContain('is not reachable');
  });

  test('checks the model chats start on: with no default, the first enabled one, not a disabled one before it', async () => {
    await using server = await startTestServer({ ...fixtureModel(), LLM_BASE_URL: `http://127.0.0.1:${freePort()}/v1` });
    const ada = await signInAdmin(server.url);
    const graphql = async (query: string, variables: Record<string, unknown>) => {
      const answer = await postGraphQL(server.url, query, { headers: { cookie: ada.cookie }, variables });
      expect(answer.body.errors).toBeUndefined();
      return answer.body.data as Record<string, { id: string } | { id: string; isDefault: boolean }[]>;
    };
    const seeded = (await graphql('{ models { id isDefault } }', {})).models as { id: string; isDefault: boolean }[];
    const create = 'mutation($input: ModelInput!) { createModel(input: $input) { id } }';
    // The catalogue is ordered by name, so the disabled, unreachable model comes first.
    const gone = `http://127.0.0.1:${freePort()}/v1`;
    await graphql(create, { input: { name: 'A retired', provider: 'OPENAI', baseUrl: gone, modelId: 'old', enabled: false } });
    await graphql(create, { input: { name: 'B current', provider: 'OPENAI', baseUrl: model.baseURL, modelId: 'fixture-model' } });
    await graphql('mutation($id: ID!) { deleteModel(id: $id) }', { id: seeded.find((row) => row.isDefault)?.id });

    const ready = await probe(server.url);
    expect(ready.status).toBe(200);
    expect(ready.body.checks.model?.reason).toStartWith(`B current at ${new URL(model.baseURL).origin} answered HTTP`);
  });

  test('SIGTERM: unready (and /healthz 503) at once while it still serves for DRAIN_DELAY_MS, then it exits cleanly', async () => {
    const dataDir = tempDir();
    try {
      // Long enough that the probes below land inside it however loaded the machine is; the exit waits for it.
      const server = await startMainProcess({ dataDir, env: { ...fixtureModel(), DRAIN_DELAY_MS: '8000', SHUTDOWN_TIMEOUT_MS: '30000' } });
      expect((await probe(server.url)).status).toBe(200);
      const exited = server.process.kill('SIGTERM');
      const draining = await eventually(async () => {
        const answer = await probe(server.url);
        return answer.status === 503 ? answer : undefined;
      }, '/readyz to answer 503');
      expect(failed(draining.body)).toEqual(['draining']);
      expect(draining.body.checks.draining?.reason).toContain('shutting down');
      const alive = await fetch(`${server.url}/healthz`);
      expect(alive.status).toBe(503);
      expect(await alive.json()).toEqual({ status: 'stopping' });
      // Still serving everything else meanwhile: the sign-in page answers.
      expect((await fetch(`${server.url}/auth/login`, { redirect: 'manual' })).status).toBeLessThan(500);
      expect(await exited).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

test('a cluster instance is unready while its Redis is gone, HAProxy takes it out of rotation, and both come back with Redis', async () => {
  const redis = await startPrivateRedis();
  try {
    await withCluster({ instances: 1, env: { REDIS_URL: redis.url } }, async (cluster) => {
      const instance = cluster.instance(0);
      const ready = await probe(instance.url);
      expect(ready.status).toBe(200);
      expect(Object.keys(ready.body.checks).sort()).toEqual(['database', 'draining', 'model', 'redis']);

      await redis.stop();
      const unready = await eventually(async () => {
        const answer = await probe(instance.url);
        return answer.status === 503 ? answer : undefined;
      }, '/readyz to answer 503 without Redis');
      expect(failed(unready.body)).toEqual(['redis']);
      expect(unready.body.checks.redis?.reason).toContain('does not answer PING');
      await cluster.loadBalancer.until('a', 'DOWN');

      await redis.start();
      await eventually(async () => (await probe(instance.url)).status === 200, '/readyz to answer 200 with Redis back');
      await cluster.loadBalancer.until('a', 'UP');
    });
  } finally {
    await redis.stop();
  }
}, 120_000);
