/**
 * The token cipher: what it seals opens only for the same context and with a key it knows, a
 * rotation keeps old values readable, and with no key set one is generated once into DATA_DIR,
 * readable by its owner only.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_FILE_NAME, loadTokenCipher } from '../../server/crypto/encryption-key.ts';
import { SealedValueError, TokenCipher } from '../../server/crypto/token-cipher.ts';
import { tempDir } from '../support/test-server.ts';

const TOKEN = 'an access token: 4f1c…';
const UMAS = 'mcp-authorisation:uma:tracker';

describe('TokenCipher', () => {
  test('opens what it sealed, and the sealed text does not contain the plain text', () => {
    const cipher = new TokenCipher(randomBytes(32));
    const sealed = cipher.seal(TOKEN, UMAS);
    expect(sealed).not.toContain(TOKEN);
    expect(cipher.open(sealed, UMAS)).toBe(TOKEN);
    expect(cipher.isStale(sealed)).toBe(false);
  });

  test('a value sealed for one context does not open for another', () => {
    const cipher = new TokenCipher(randomBytes(32));
    const sealed = cipher.seal(TOKEN, UMAS);
    expect(() => cipher.open(sealed, 'mcp-authorisation:ulf:tracker')).toThrow(
      new SealedValueError('the sealed value does not open: altered, or sealed for something else'),
    );
  });

  test('an altered value does not open', () => {
    const cipher = new TokenCipher(randomBytes(32));
    const [version, id, iv, body] = cipher.seal(TOKEN, UMAS).split('.') as [string, string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const altered = [version, id, iv, bytes.toString('base64url')].join('.');
    expect(() => cipher.open(altered, UMAS)).toThrow(/does not open: altered/);
    expect(() => cipher.open('plain text', UMAS)).toThrow(new SealedValueError('not a sealed value'));
  });

  test('after a rotation, a value sealed with the old key opens and is stale; new values use the new key', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const sealedUnderA = new TokenCipher(a).seal(TOKEN, UMAS);
    const rotated = new TokenCipher(b, [a]);
    expect(rotated.open(sealedUnderA, UMAS)).toBe(TOKEN);
    expect(rotated.isStale(sealedUnderA)).toBe(true);
    const resealed = rotated.seal(TOKEN, UMAS);
    expect(rotated.isStale(resealed)).toBe(false);
    expect(resealed.split('.')[1]).toBe(rotated.keyId);
  });

  test('a value sealed with a key that is neither current nor old names the settings', () => {
    const sealed = new TokenCipher(randomBytes(32)).seal(TOKEN, UMAS);
    const other = new TokenCipher(randomBytes(32), [randomBytes(32)]);
    expect(() => other.open(sealed, UMAS)).toThrow(/neither TOKEN_ENCRYPTION_KEY nor one of TOKEN_ENCRYPTION_OLD_KEYS/);
  });
});

describe('loadTokenCipher without TOKEN_ENCRYPTION_KEY', () => {
  let parent: string | undefined;
  afterEach(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  test('generates DATA_DIR/token-encryption.key, readable by its owner only, and reuses it on the next load', () => {
    parent = tempDir();
    // DATA_DIR need not exist yet: a first start creates it.
    const dataDir = join(parent, 'data');
    const first = loadTokenCipher({ key: undefined, oldKeys: [], dataDir });
    const path = join(dataDir, KEY_FILE_NAME);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const written = readFileSync(path, 'utf8');

    const second = loadTokenCipher({ key: undefined, oldKeys: [], dataDir });
    expect(second.open(first.seal(TOKEN, UMAS), UMAS)).toBe(TOKEN);
    expect(second.keyId).toBe(first.keyId);
    expect(readFileSync(path, 'utf8')).toBe(written);
  });

  test('a key that is set wins over the file', () => {
    parent = tempDir();
    const dataDir = parent;
    const fromFile = loadTokenCipher({ key: undefined, oldKeys: [], dataDir });
    const key = randomBytes(32);
    const configured = loadTokenCipher({ key, oldKeys: [], dataDir });
    expect(configured.keyId).toBe(new TokenCipher(key).keyId);
    expect(configured.keyId).not.toBe(fromFile.keyId);
  });
});
