/**
 * A deployment in cluster mode for the bench: `count` instances, each a server process of its own
 * (server-process.ts), on this machine's PostgreSQL and Redis in a schema and key prefix of this
 * run's own (tests/support/services.ts), removed when the instances stop. People reach the
 * instances directly, with no load balancer, whose CPU would count with no part in Countersign's;
 * their clients send the deployment's PUBLIC_URL as Origin, as a browser at the balancer would.
 * Sign-in is not exercised: the bench signs people in through the stores (server-child.ts), so the
 * OpenID provider named is never contacted (discovery is fetched on the first sign-in only).
 */
import { createTestRedis, createTestSchema } from '../../tests/support/services.ts';
import { serverGroup, type ServerGroup } from './server-group.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { serviceCpuMeter } from './service-cpu.ts';

const PUBLIC_URL = 'http://countersign.bench.invalid';

export function clusterInstances(count: number): (llm: Record<string, string>) => Promise<ServerGroup> {
  return async (llm) => {
    const schema = await createTestSchema();
    const redis = await createTestRedis();
    // Names this run's PostgreSQL connections, so the meter finds the backends serving them.
    const applicationName = `countersign-bench-${schema.schema}`;
    const meter = serviceCpuMeter(schema.url, applicationName, redis.url);
    const instances: ServerProcess[] = [];
    const cleanUp = async () => {
      await meter.close();
      await Promise.all([schema.drop(), redis.clear()]);
    };
    try {
      for (let i = 0; i < count; i++) {
        instances.push(
          await startServerProcess({
            ...llm,
            DATABASE_URL: `${schema.url}?application_name=${applicationName}`,
            DATABASE_SCHEMA: schema.schema,
            REDIS_URL: redis.url,
            REDIS_KEY_PREFIX: redis.prefix,
            PUBLIC_URL,
            OIDC_AUTHORITY: 'http://oidc.bench.invalid',
            OIDC_CLIENT_ID: 'countersign-bench',
            OIDC_CLIENT_SECRET: 'never-used',
            TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
          }),
        );
      }
    } catch (error) {
      await Promise.all(instances.map((instance) => instance.stop()));
      await cleanUp();
      throw error;
    }
    return serverGroup(instances, { origin: PUBLIC_URL, services: () => meter.read(), cleanUp });
  };
}
