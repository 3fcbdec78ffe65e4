/**
 * Seals the secrets Countersign keeps on people's behalf (MCP access and refresh tokens, sign-in
 * tokens, OAuth client secrets) with AES-256-GCM before they reach the database, so a copy of the
 * database file alone gives none of them away.
 *
 * A sealed value is `v1.<key id>.<iv>.<ciphertext and tag>` (base64url). The key id names which key
 * sealed it, so after a rotation old rows still open with the previous key (TOKEN_ENCRYPTION_OLD_KEYS)
 * and are sealed with the new one the next time they are written. Each value is bound to what it
 * belongs to (`context`, e.g. the person and server), as GCM's additional data: a row copied onto
 * another person's does not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class SealedValueError extends Error {
  override name = 'SealedValueError';
}

interface Key {
  id: string;
  bytes: Buffer;
}

/** Eight hex digits of the key's SHA-256: enough to tell keys apart, useless for guessing one. */
function keyId(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

function keyOf(bytes: Buffer): Key {
  if (bytes.length !== KEY_BYTES) throw new Error(`an encryption key must be ${KEY_BYTES} bytes, not ${bytes.length}`);
  return { id: keyId(bytes), bytes };
}

export class TokenCipher {
  readonly #current: Key;
  readonly #byId: Map<string, Key>;

  /** `current` seals; it and every key of `previous` open. */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.#current = keyOf(current);
    this.#byId = new Map([this.#current, ...previous.map(keyOf)].map((key) => [key.id, key]));
  }

  /** The id of the key new values are sealed with (shown to operators, so they can tell which key is in use). */
  get keyId(): string {
    return this.#current.id;
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.#current.id, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, id, iv, body] = sealed.split('.');
    if (version !== VERSION || !id || !iv || !body) throw new SealedValueError('not a sealed value');
    const key = this.#byId.get(id);
    if (!key)
      throw new SealedValueError(`sealed with key ${id}, which is neither TOKEN_ENCRYPTION_KEY nor one of TOKEN_ENCRYPTION_OLD_KEYS`);
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < TAG_BYTES) throw new SealedValueError('the sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedValueError('the sealed value does not open: altered, or sealed for something else');
    }
  }

  /** Whether a value was sealed with an older key (it is sealed again with the current one when next written). */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.#current.id;
  }
}
