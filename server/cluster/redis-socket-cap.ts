/**
 * The per-person WebSocket cap counted across every instance (cluster mode). Each instance keeps
 * its own open sockets per person in a hash of its own, listed in a sorted set scored by when the
 * hash lapses; the instance refreshes both while it runs, so a crashed instance's sockets stop
 * counting once its hash lapses. A person's count is the sum over the live instances' hashes.
 *
 * Every refresh rewrites the hash from this instance's own counts, so a change lost on the way
 * (Redis restarted, a command failed) is righted within a refresh. The scripts name keys they read
 * from the sorted set, which suits one Redis (or a replicated pair), not Redis Cluster.
 */
import type { RedisClient } from 'bun';
import type { SharedSocketCount } from '../trpc/socket-registry.ts';
import { NOW_MS, RedisScript } from './redis-script.ts';

/** KEYS[1]: the instances' sorted set. ARGV[1]: the person. Returns their open sockets on every live instance. */
const COUNT = new RedisScript(`${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local total = 0
for _, hash in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  total = total + (tonumber(redis.call('HGET', hash, ARGV[1])) or 0)
end
return total
`);

/** KEYS: the sorted set, this instance's hash. ARGV: ttl ms, then person and count pairs, the whole of this instance's counts. */
const REWRITE = new RedisScript(`${NOW_MS}
redis.call('DEL', KEYS[2])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], now + ARGV[1], KEYS[2])
return 0
`);

/** KEYS: the sorted set, this instance's hash. ARGV: ttl ms, person, +1 or -1. */
const CHANGE = new RedisScript(`${NOW_MS}
if redis.call('HINCRBY', KEYS[2], ARGV[2], ARGV[3]) <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], now + ARGV[1], KEYS[2])
return 0
`);

export interface RedisSocketCountOptions {
  client: RedisClient;
  keyPrefix: string;
  /** This instance among the deployment's (cluster/redis.ts's INSTANCE_ID). */
  instanceId: string;
  /** How long a silent instance's sockets keep counting; refreshed every third of it. */
  ttlMs?: number;
  onError: (error: unknown) => void;
}

export class RedisSocketCount implements SharedSocketCount {
  readonly #local = new Map<string, number>();
  readonly #keys: [instances: string, mine: string];
  readonly #ttlMs: number;
  readonly #refresh: ReturnType<typeof setInterval>;

  constructor(private readonly options: RedisSocketCountOptions) {
    this.#keys = [`${options.keyPrefix}sockets:instances`, `${options.keyPrefix}sockets:${options.instanceId}`];
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#refresh = setInterval(() => this.#rewrite(), this.#ttlMs / 3);
    this.#refresh.unref();
  }

  async countFor(userId: string): Promise<number> {
    return Number(await COUNT.run(this.options.client, [this.#keys[0]], [userId]));
  }

  opened(userId: string): Promise<void> {
    this.#local.set(userId, (this.#local.get(userId) ?? 0) + 1);
    return this.#change(userId, 1);
  }

  closed(userId: string): Promise<void> {
    const left = (this.#local.get(userId) ?? 0) - 1;
    if (left > 0) this.#local.set(userId, left);
    else this.#local.delete(userId);
    return this.#change(userId, -1);
  }

  /** Stops refreshing and takes this instance's sockets out of every count (they are closed by then). */
  async close(): Promise<void> {
    clearInterval(this.#refresh);
    const [instances, mine] = this.#keys;
    await Promise.all([this.options.client.send('ZREM', [instances, mine]), this.options.client.del(mine)]);
  }

  async #change(userId: string, delta: 1 | -1): Promise<void> {
    await CHANGE.run(this.options.client, this.#keys, [this.#ttlMs, userId, delta]).catch(this.options.onError);
  }

  #rewrite(): void {
    const counts = [...this.#local].flat();
    REWRITE.run(this.options.client, this.#keys, [this.#ttlMs, ...counts]).catch(this.options.onError);
  }
}
