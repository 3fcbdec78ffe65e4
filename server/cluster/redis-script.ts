/**
 * A Lua script Redis runs atomically: sent by its SHA-1 (EVALSHA), and in full only when this
 * Redis has not seen it yet (after a restart or a SCRIPT FLUSH), so each call ships a few bytes.
 */
import type { RedisClient } from 'bun';

/** Lua that opens a script: `now`, Redis's clock in whole ms, the one clock instances agree on. */
export const NOW_MS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

export class RedisScript {
  readonly #sha: string;

  constructor(readonly source: string) {
    this.#sha = new Bun.CryptoHasher('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const params = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await client.send('EVALSHA', [this.#sha, ...params]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.send('EVAL', [this.source, ...params]);
    }
  }
}
