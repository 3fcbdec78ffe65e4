/**
 * Connections to the Redis that instances of one deployment share (cluster mode). Bun's built-in
 * client: about a quarter of ioredis's CPU per event on this kind of machine (stack.md). Every key
 * and channel starts with the deployment's prefix, so several deployments can share one Redis.
 */
import { hostname } from 'node:os';
import { RedisClient } from 'bun';

export interface RedisTarget {
  readonly url: string;
  readonly keyPrefix: string;
}

/**
 * A connection of its own. Blocking reads and subscriptions hold their connection, so each use
 * that blocks opens one; commands that don't can share. It comes back whenever Redis does: Bun's
 * client (1.4.5) reconnects on its own for about 30 s, then gives up (onclose) and fails every
 * command until `connect()` (measured: after a 40 s outage every command failed), so until it is
 * closed on purpose this keeps calling `connect()`.
 */
export function connectRedis(target: RedisTarget): RedisClient {
  const client = new RedisClient(target.url, { autoReconnect: true, enableOfflineQueue: true });
  let closed = false;
  let reviving = false;
  const close = client.close.bind(client);
  client.close = () => {
    closed = true;
    close();
  };
  client.onclose = async () => {
    if (closed || reviving) return;
    reviving = true;
    for (let attempt = 0; !closed; attempt++) {
      try {
        await client.connect();
        break;
      } catch {
        await Bun.sleep(reconnectDelayMs(attempt));
      }
    }
    reviving = false;
  };
  return client;
}

/**
 * A connection for SUBSCRIBE. Bun's client (1.4.5) reconnects on its own but does not subscribe
 * again, and says nothing (measured; oven-sh/bun#33450), so this one does not reconnect: its owner
 * hears `onclose` and opens another.
 */
export function connectRedisSubscriber(target: RedisTarget): RedisClient {
  return new RedisClient(target.url, { autoReconnect: false, enableOfflineQueue: false });
}

/** How long to wait before trying Redis again after `attempt` + 1 failures in a row: doubling from 100 ms, at most 5 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(5_000, 100 * 2 ** attempt);
}

/** This process among the deployment's instances: in leases, so a lease names who holds it. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
