/** Secrets handed to clients (session and API tokens): random, and stored only as a hash. */
import { createHash } from 'node:crypto';

/** 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

/** SHA-256, hex: what the database keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
