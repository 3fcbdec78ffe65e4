/**
 * Redis answers PING (cluster mode). A connection of its own that neither queues commands while
 * offline nor reconnects in the background: each probe connects when it must and fails at once
 * when Redis is away, instead of piling PINGs up for a Redis that may never return.
 */
import { RedisClient } from 'bun';
import type { ReadinessCheck } from './check.ts';

export interface RedisCheck extends ReadinessCheck {
  close(): void;
}

export function redisCheck(url: string, boundMs: number): RedisCheck {
  let client: RedisClient | undefined;
  const where = new URL(url).host;
  return {
    name: 'redis',
    async run() {
      client ??= new RedisClient(url, { autoReconnect: false, enableOfflineQueue: false, connectionTimeout: boundMs });
      try {
        if (!client.connected) await client.connect();
        await client.ping();
        return { ok: true };
      } catch (error) {
        client.close();
        client = undefined;
        return { ok: false, reason: `Redis at ${where} does not answer PING: ${(error as Error).message}` };
      }
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}
