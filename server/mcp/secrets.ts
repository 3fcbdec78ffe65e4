/**
 * Resolves a catalogue entry's headers on this server, when connecting. Secret headers hold only
 * references: `env:NAME` (an environment variable of this process) or the user-token reference,
 * which stands for a short-lived token signed for the connecting user. Callers never supply
 * headers, and resolved values are never stored or returned. MCP_SECRET_ENV limits which
 * variables `env:NAME` may read; it is checked here, at connect time, as well as when an entry is
 * saved, because the setting may have been tightened since.
 */
import { BoundaryError } from './boundary-error.ts';
import type { CatalogueEntry } from './catalogue-store.ts';

/** Stands for `Bearer <token signed for the connecting user>`; only ever sent to this server's own origin. */
export const USER_TOKEN_REFERENCE = 'countersign:user-token';

export class SecretResolutionError extends Error {
  override name = 'SecretResolutionError';
}

export interface ResolvedHeaders {
  headers: Record<string, string>;
  /** True when the Authorization header is the per-user token, minted per request by the transport. */
  userToken: boolean;
}

/** Throws BoundaryError unless `allowed` (names; a trailing `*` matches a prefix) lets the header read `reference`. */
export function checkSecretEnv(header: string, reference: string, allowed: readonly string[] | undefined): void {
  if (!allowed || reference === USER_TOKEN_REFERENCE) return;
  const name = reference.slice('env:'.length);
  if (allowed.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern))) return;
  throw new BoundaryError(
    `secretHeaders.${header}`,
    `${reference} is not a variable MCP_SECRET_ENV lets secrets read`,
    `it allows only ${allowed.join(', ')}, so use one of those or ask the operator to add yours`,
  );
}

export function resolveHeaders(
  entry: Pick<CatalogueEntry, 'name' | 'url' | 'headers' | 'secretHeaders'>,
  ownOrigin: string,
  env: Record<string, string | undefined> = process.env,
  allowedEnv: readonly string[] | undefined = undefined,
): ResolvedHeaders {
  const headers: Record<string, string> = { ...entry.headers };
  let userToken = false;
  for (const [header, reference] of Object.entries(entry.secretHeaders)) {
    checkSecretEnv(header, reference, allowedEnv);
    if (reference === USER_TOKEN_REFERENCE) {
      // A user token sent elsewhere could be replayed against our own /mcp as that user.
      if (!entry.url || new URL(entry.url).origin !== new URL(ownOrigin).origin) {
        throw new SecretResolutionError(`${entry.name}: the user token is only sent to this server's own origin`);
      }
      userToken = true;
      continue;
    }
    const name = reference.slice('env:'.length);
    const value = env[name];
    if (!value) throw new SecretResolutionError(`${entry.name}: header ${header} needs the environment variable ${name}, which is not set`);
    headers[header] = value;
  }
  return { headers, userToken };
}
