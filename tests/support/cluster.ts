/**
 * Several real Countersign instances in cluster mode behind a real HAProxy, for tests of what only
 * shows with more than one process. Each instance is `bun server/main.ts` on a port chosen up front
 * (so a restart comes back where HAProxy looks for it), on this test's own PostgreSQL schema and
 * Redis key prefix, with PUBLIC_URL the load balancer's URL and sign-in through the development
 * OpenID provider running as a process of its own, shared by all of them.
 *
 *   await withCluster({ instances: 2 }, async (cluster) => { ... });
 *
 * runs a test body and prints every process's output if it fails; `await using cluster = await
 * startCluster(...)` is the same without the printing. Either way teardown stops every process
 * and removes the schema and the keys, whatever the test did.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type CountersignClient, createCountersignClient } from '../../shared/client.ts';
import { type OidcProviderProcess, startOidcProviderProcess } from '../fixtures/oidc-provider-process.ts';
import { eventually } from './eventually.ts';
import { type LoadBalancer, startLoadBalancer } from './load-balancer.ts';
import { LoggedProcess } from './logged-process.ts';
import { type Person, signIn } from './people.ts';
import { freePort } from './ports.ts';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from './services.ts';
import { tempDir } from './test-server.ts';

const MAIN = join(import.meta.dir, '..', '..', 'server', 'main.ts');
/** A cold start on a loaded 2-core machine: migrations, the catalogue, the first MCP connection. */
const START_TIMEOUT_MS = 60_000;

export interface ClusterOptions {
  /** How many instances: A, B, C, … */
  instances: number;
  /** Settings added to every instance's environment. */
  env?: Record<string, string>;
}

export interface ClusterInstance {
  /** A, B, C, …; HAProxy knows it by the lower-case letter. */
  readonly name: string;
  /** Its own address, past the load balancer. */
  readonly url: string;
  /** Its current process. */
  readonly pid: number;
  /** Signals it (SIGKILL: a crash, SIGTERM: a graceful stop) and waits until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it if it is running (SIGTERM), starts it again on the same port, and waits until HAProxy sends it requests. */
  restart(): Promise<void>;
  /** Its last lines of output. */
  output(): string;
}

export interface ClusterPerson extends Person {
  /** The typed client bound to one instance, past the load balancer (the session is the same). */
  clientOn(instance: ClusterInstance): CountersignClient;
  /** The typed client with every call on one WebSocket through the load balancer, so all of them reach one instance. */
  socketClient(): CountersignClient;
}

export interface Cluster extends AsyncDisposable {
  /** The load balancer: what people open, and every instance's PUBLIC_URL. */
  readonly url: string;
  readonly instances: readonly ClusterInstance[];
  /** instance(0) is A. */
  instance(index: number): ClusterInstance;
  readonly loadBalancer: LoadBalancer;
  readonly provider: OidcProviderProcess;
  /** The PostgreSQL schema and the Redis key prefix every instance uses, for what an operator would look at there. */
  readonly schema: TestSchema;
  readonly redis: TestRedis;
  /** Signs a development account in through the load balancer, as a browser would; its client goes through it too. */
  signIn(email: string): Promise<ClusterPerson>;
  /** The last lines of every process's output. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a cluster, runs `body` on it, prints every process's output if it throws, and stops the cluster. */
export async function withCluster<T>(options: ClusterOptions, body: (cluster: Cluster) => Promise<T>): Promise<T> {
  await using cluster = await startCluster(options);
  try {
    return await body(cluster);
  } catch (error) {
    // Not console.error: that would fail the test a second time (console-errors.ts).
    process.stderr.write(`The cluster's output up to the failure:\n${cluster.output()}\n`);
    throw error;
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const teardown: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    const failures: unknown[] = [];
    for (const step of teardown.splice(0).reverse()) await step().catch((error: unknown) => failures.push(error));
    if (failures.length) throw new AggregateError(failures, 'stopping the cluster failed');
  };
  const processes: { output(): string }[] = [];
  const output = () =>
    processes
      .map((p) => p.output())
      .filter(Boolean)
      .join('\n');
  try {
    const schema = await createTestSchema();
    teardown.push(() => schema.drop());
    const redis = await createTestRedis();
    teardown.push(() => redis.clear());
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const provider = await startOidcProviderProcess(url);
    teardown.push(async () => provider[Symbol.asyncDispose]());

    const env = {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATABASE_URL: schema.url,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      // A killed instance's answers show as cut off after this long: short, so tests of it wait less.
      RUN_LEASE_SECONDS: '3',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      ...provider.settings,
      LOG_LEVEL: 'info',
      // Set at spawn, so main.ts does not start itself a second time and signals reach the server itself.
      BUN_CONFIG_MAX_HTTP_REQUESTS: '4096',
      ...options.env,
    };
    const instances = Array.from({ length: options.instances }, (_, i) => new Instance(String.fromCharCode(65 + i), freePort(), env));
    processes.push(...instances);
    teardown.push(() => Promise.all(instances.map((instance) => instance.dispose())));
    await Promise.all(instances.map((instance) => instance.start()));

    const loadBalancer = await startLoadBalancer({
      port,
      statsPort: freePort(),
      backends: instances.map((instance) => ({ name: instance.backendName, port: instance.port })),
    });
    processes.push(loadBalancer.process);
    teardown.push(() => loadBalancer.stop());
    for (const instance of instances) {
      instance.loadBalancer = loadBalancer;
      await loadBalancer.until(instance.backendName, 'UP');
    }

    const clients: CountersignClient[] = [];
    teardown.push(() => Promise.all(clients.map((client) => client.close())));
    const opened = (client: CountersignClient) => {
      clients.push(client);
      return client;
    };
    return {
      url,
      instances,
      instance(index) {
        const instance = instances[index];
        if (!instance) throw new Error(`the cluster has ${instances.length} instances; there is no instance(${index})`);
        return instance;
      },
      loadBalancer,
      provider,
      schema,
      redis,
      async signIn(email) {
        const person = await signIn(url, email);
        opened(person.client);
        // Browsers send the page's origin, which is the load balancer's whatever instance answers.
        const headers = { cookie: person.cookie, origin: url };
        return {
          ...person,
          clientOn: (instance) => opened(createCountersignClient({ url: instance.url, headers })),
          socketClient: () => opened(createCountersignClient({ url, headers, allOverWebSocket: true })),
        };
      },
      output,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    const printed = output();
    await stop().catch(() => undefined);
    throw new Error(`the cluster did not start: ${(error as Error).message}${printed ? `\nIts output:\n${printed}` : ''}`, {
      cause: error,
    });
  }
}

class Instance implements ClusterInstance {
  readonly url: string;
  readonly backendName: string;
  /** Set once HAProxy runs, so a restart waits until it routes to the instance again. */
  loadBalancer: LoadBalancer | undefined;
  readonly #dataDir = tempDir('countersign-cluster-');
  #process: LoggedProcess | undefined;
  /** Output of its earlier processes (before a restart). */
  #earlier = '';

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string | undefined>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.backendName = name.toLowerCase();
  }

  get pid(): number {
    if (!this.#process) throw new Error(`instance ${this.name} has not started`);
    return this.#process.pid;
  }

  async start(): Promise<void> {
    const proc = new LoggedProcess(`instance ${this.name}`, [process.execPath, MAIN], {
      ...this.env,
      PORT: String(this.port),
      DATA_DIR: this.#dataDir,
    });
    this.#process = proc;
    await eventually(
      async () => {
        // Its output is reported as it exits (logged-process.ts).
        if (!proc.running) throw new Error(`instance ${this.name} exited before it was healthy`);
        return (await fetch(`${this.url}/healthz`).catch(() => undefined))?.status === 200;
      },
      `instance ${this.name} to be healthy at ${this.url}/healthz`,
      START_TIMEOUT_MS,
    );
    await this.loadBalancer?.until(this.backendName, 'UP');
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.#process?.kill(signal);
  }

  async restart(): Promise<void> {
    await this.kill('SIGTERM');
    this.#earlier = this.output();
    await this.start();
  }

  output(): string {
    return [this.#earlier, this.#process?.output() ?? ''].filter(Boolean).join('\n');
  }

  /** Teardown leaves nothing running; how an instance shuts down gracefully is tested elsewhere. */
  async dispose(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}
