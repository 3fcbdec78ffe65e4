/**
 * MCP_BLOCK_PRIVATE_ADDRESSES underneath: which addresses count as private, that a request goes
 * to the address that was checked (not to whatever the name resolves to a moment later), and that
 * a redirect is handed back rather than followed, so no hop escapes the check.
 */
import { afterAll, expect, test } from 'bun:test';
import { AddressGuard, blockedRange, fetchPinned } from '../../server/mcp/address-guard.ts';
import { BoundaryError } from '../../server/mcp/boundary-error.ts';

const tlsCert = await Bun.file(new URL('../fixtures/tls/mcp-test.pem', import.meta.url)).text();
const tlsKey = await Bun.file(new URL('../fixtures/tls/mcp-test.key', import.meta.url)).text();

/** Answers with the Host header it received, so a test sees which name the request carried. */
const echoHost = (request: Request) => new Response(request.headers.get('host'));
const plain = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: echoHost });
// A certificate for mcp.test only, a name no resolver knows: reaching this server proves no lookup happened.
const secure = Bun.serve({ hostname: '127.0.0.1', port: 0, tls: { cert: tlsCert, key: tlsKey }, fetch: echoHost });
const redirecting = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: () => Response.redirect('http://169.254.169.254/latest/meta-data/', 302),
});
afterAll(() => {
  for (const server of [plain, secure, redirecting]) void server.stop(true);
});

test('loopback, private, link-local, shared and unspecified addresses are refused in every spelling; public ones pass', () => {
  const cases: [string, string | undefined][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['fd00::1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['8.8.8.8', undefined],
    ['100.128.0.1', undefined],
    ['172.32.0.1', undefined],
    ['192.169.0.1', undefined],
    ['::ffff:8.8.8.8', undefined],
    ['2606:4700:4700::1111', undefined],
  ];
  expect(cases.map(([address]) => [address, blockedRange(address)])).toEqual(cases);
});

test('a pinned request reaches the checked address under its own name, over HTTP and HTTPS', async () => {
  const overHttp = await fetchPinned(new URL(`http://mcp.test:${plain.port}/mcp`), '127.0.0.1');
  expect(await overHttp.text()).toBe(`mcp.test:${plain.port}`);
  expect(overHttp.url).toBe(`http://mcp.test:${plain.port}/mcp`);

  // The certificate is checked against the name, as it would be without pinning.
  const overHttps = await fetchPinned(new URL(`https://mcp.test:${secure.port}/mcp`), '127.0.0.1', { tls: { ca: tlsCert } });
  expect(await overHttps.text()).toBe(`mcp.test:${secure.port}`);
  const wrongName = fetchPinned(new URL(`https://other.test:${secure.port}/mcp`), '127.0.0.1', { tls: { ca: tlsCert } });
  await expect(wrongName).rejects.toThrow();
});

test('a redirect comes back to the caller instead of being followed to a blocked address', async () => {
  // Exempt as this server's own origin, so only the redirect could lead anywhere else.
  const guard = new AddressGuard(() => redirecting.url.origin);
  const response = await guard.fetch(`${redirecting.url.origin}/mcp`, { method: 'POST', body: '{}' });
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe('http://169.254.169.254/latest/meta-data/');
});

test('a request to a refused address fails before anything is sent, naming the setting', async () => {
  const guard = new AddressGuard(() => 'http://127.0.0.1:1');
  const refused = guard.fetch(`http://localhost:${plain.port}/mcp`);
  await expect(refused).rejects.toBeInstanceOf(BoundaryError);
  await expect(refused).rejects.toThrow(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address, .*MCP_BLOCK_PRIVATE_ADDRESSES/);
});
