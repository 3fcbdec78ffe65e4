/**
 * Every URL the OAuth client learns from a server's metadata is checked before it is fetched or
 * a browser is sent to it: https only (http to a loopback address outside production, for local
 * development and tests), never another scheme. A malicious server's metadata naming
 * `javascript:`, `file:` or a command-line trick as its authorization endpoint is the class of
 * bug behind CVE-2025-6514; here it ends in a refusal that names the URL's scheme.
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import { refreshingOnce } from './refresh-once.ts';

export class UnsafeAuthorizationUrl extends Error {
  override name = 'UnsafeAuthorizationUrl';
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export interface UrlPolicy {
  /** Outside production: plain http to a loopback address is allowed. */
  allowLoopbackHttp: boolean;
}

/** Throws UnsafeAuthorizationUrl unless `raw` is a URL a person's browser or this server may be sent to. */
export function checkAuthorizationUrl(raw: string | URL, policy: UrlPolicy, what = 'authorisation server URL'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeAuthorizationUrl(`the ${what} is not a URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && policy.allowLoopbackHttp && LOOPBACK.test(url.hostname)) return url;
  const allowed = policy.allowLoopbackHttp ? 'https (or http to this machine)' : 'https';
  throw new UnsafeAuthorizationUrl(
    `the ${what} uses ${url.protocol.replace(/:$/, '')}, and only ${allowed} is allowed: ${url.origin === 'null' ? url.protocol : url.origin}`,
  );
}

/**
 * A fetch for an MCP server's requests and its OAuth discovery and token requests: the server's own
 * origin as the admin entered it, and otherwise only URLs the policy allows. A refresh is sent once
 * per refresh token (refresh-once.ts).
 */
export function guardedFetch(base: FetchLike, policy: UrlPolicy, serverOrigin: string): FetchLike {
  const send = refreshingOnce(base);
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.origin !== serverOrigin) checkAuthorizationUrl(url, policy);
    return send(input, init);
  };
}
