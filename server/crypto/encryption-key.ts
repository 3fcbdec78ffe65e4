/**
 * Where the token encryption key comes from: the TOKEN_ENCRYPTION_KEY setting (32 bytes, base64 or
 * hex), or, when it is unset on a single instance, a key generated once into DATA_DIR (readable by
 * this process's user only). Cluster mode requires the setting (config.ts): every instance must
 * open what any other sealed, and a key kept beside the data it protects protects little.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_BYTES, TokenCipher } from './token-cipher.ts';

export const KEY_FILE_NAME = 'token-encryption.key';

/** Parses a key written as base64 (or base64url) or as hex; throws naming what is wrong. */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length !== KEY_BYTES) {
    throw new Error(`must be ${KEY_BYTES} random bytes as base64 or hex (for example: openssl rand -base64 32); got ${bytes.length} bytes`);
  }
  return bytes;
}

export interface KeySettings {
  key: Buffer | undefined;
  oldKeys: readonly Buffer[];
  dataDir: string;
}

export function loadTokenCipher({ key, oldKeys, dataDir }: KeySettings): TokenCipher {
  return new TokenCipher(key ?? keyFromFile(dataDir), oldKeys);
}

function keyFromFile(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE_NAME);
  if (existsSync(path)) return parseKey(readFileSync(path, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const bytes = crypto.getRandomValues(Buffer.alloc(KEY_BYTES));
  // 'wx': two processes starting at once cannot both write a key; the loser reads the winner's.
  try {
    writeFileSync(path, `${bytes.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parseKey(readFileSync(path, 'utf8'));
    throw error;
  }
  chmodSync(path, 0o600);
  return bytes;
}
