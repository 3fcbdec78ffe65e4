/**
 * MCP_BLOCK_PRIVATE_ADDRESSES: HTTP MCP servers may not be reached on loopback, private,
 * link-local (cloud metadata answers at 169.254.169.254), carrier-grade NAT or unspecified
 * addresses, however the URL spells them. The check is on what the host name resolves to, at each
 * request, and the request then goes to that very address with the name kept in Host and in TLS,
 * so a name that resolves elsewhere a moment later (DNS rebinding) changes nothing.
 *
 * Redirects are never followed here: they go back to the MCP SDK, which follows only those within
 * the same origin, and each hop comes through this fetch again. This server's own origin is exempt:
 * the built-in MCP server lives there, on loopback.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { FetchLike } from '@modelcontextprotocol/client';
import { BoundaryError } from './boundary-error.ts';

const RANGES: [kind: string, network: string, prefix: number, family: 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['carrier-grade NAT', '100.64.0.0', 10, 'ipv4'],
];

/** One list per kind, for the message. net.BlockList matches IPv4-mapped IPv6 (::ffff:a.b.c.d) against IPv4 ranges, on Bun too. */
const blockLists = new Map<string, BlockList>();
for (const [kind, network, prefix, family] of RANGES) {
  const list = blockLists.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, family);
  blockLists.set(kind, list);
}

/** The kind of refused range an IP address falls in, or undefined for an address that may be reached. */
export function blockedRange(address: string): string | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  for (const [kind, list] of blockLists) if (list.check(address, family)) return kind;
  return undefined;
}

function refuseBlocked(host: string, address: string): void {
  const kind = blockedRange(address);
  if (!kind) return;
  const range = `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address`;
  const what = host === address ? `${host} is ${range}` : `${host} resolves to ${address}, ${range}`;
  throw new BoundaryError('url', `${what}, which MCP_BLOCK_PRIVATE_ADDRESSES refuses`);
}

/**
 * Sends a request to `address` while the URL keeps its host name: in Host, in TLS (the name sent
 * and the one the certificate must carry), and in response.url.
 */
export async function fetchPinned(url: URL, address: string, init: BunFetchRequestInit = {}): Promise<Response> {
  const pinned = new URL(url);
  pinned.hostname = isIP(address) === 6 ? `[${address}]` : address;
  const headers = new Headers(init.headers);
  headers.set('host', url.host);
  const tls = url.protocol === 'https:' ? { ...init.tls, serverName: url.hostname } : init.tls;
  const response = await fetch(pinned, { ...init, headers, ...(tls ? { tls } : {}) });
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

export class AddressGuard {
  constructor(private readonly ownOrigin: () => string) {}

  /** Throws BoundaryError when the URL's host is, or resolves to, a refused address. */
  async check(url: URL): Promise<void> {
    await this.#address(url);
  }

  /** The fetch HTTP transports use while the setting is on. */
  readonly fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const address = await this.#address(url);
    const unfollowed = { ...init, redirect: 'manual' as const };
    return address === undefined ? fetch(url, unfollowed) : fetchPinned(url, address, unfollowed);
  };

  /** The address to send to, or undefined when the URL goes as written (this server's own origin, or an address literal). */
  async #address(url: URL): Promise<string | undefined> {
    if (url.origin === new URL(this.ownOrigin()).origin) return undefined;
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal)) {
      refuseBlocked(literal, literal);
      return undefined;
    }
    // Every address must pass: a name with one public and one private address is a rebinding trick.
    const addresses = await lookup(url.hostname, { all: true, verbatim: true });
    for (const { address } of addresses) refuseBlocked(url.hostname, address);
    const [first] = addresses;
    if (!first) throw new Error(`${url.hostname} has no address`);
    return first.address;
  }
}
