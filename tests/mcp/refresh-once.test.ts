/**
 * A connection that meets an expired token may ask to refresh it twice at once; an authorisation
 * server that rotates refresh tokens revokes the grant at the second use. Token requests through
 * Countersign's OAuth fetch refresh once per refresh token, and every caller gets that answer.
 */
import { afterAll, expect, test } from 'bun:test';
import { refreshingOnce } from '../../server/mcp/oauth/refresh-once.ts';

/** A token endpoint that rotates: each refresh token works once, as a rotating authorisation server's does. */
const used = new Set<string>();
let requests = 0;
const endpoint = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(request) {
    requests++;
    const form = new URLSearchParams(await request.text());
    const token = form.get('refresh_token') ?? '';
    if (used.has(token)) return Response.json({ error: 'invalid_grant', error_description: 'refresh token reused' }, { status: 400 });
    used.add(token);
    await Bun.sleep(20); // long enough for a second refresh to start while this one is answered
    return Response.json({ access_token: `at-for-${token}`, refresh_token: `${token}+1`, token_type: 'Bearer', expires_in: 3600 });
  },
});
afterAll(() => endpoint.stop(true));
const url = `http://127.0.0.1:${endpoint.port}/token`;

const refresh = (send: typeof fetch | ReturnType<typeof refreshingOnce>, token: string) =>
  send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
  });

test('two refreshes at once with the same refresh token reach the server once, and both get the new tokens', async () => {
  const send = refreshingOnce(fetch);
  const before = requests;
  const [a, b] = await Promise.all([refresh(send, 'r1'), refresh(send, 'r1')]);
  expect(await a.json()).toEqual(await b.json());
  expect(a.status).toBe(200);
  expect(requests - before).toBe(1);
  // A moment later, the same refresh token is answered as before rather than spent again.
  expect(await (await refresh(send, 'r1')).json()).toMatchObject({ access_token: 'at-for-r1' });
  expect(requests - before).toBe(1);
  // Without it, the second use is refused as a reuse: what would have signed the person out.
  expect((await refresh(fetch, 'r1')).status).toBe(400);
});

test('another refresh token is sent; a request that got no answer is not remembered', async () => {
  let attempts = 0;
  // The network fails the first attempt: the refresh token was never spent, so the next attempt goes out.
  const send = refreshingOnce(async (input, init) => {
    if (++attempts === 3) throw new TypeError('fetch failed');
    return fetch(input, init);
  });
  const before = requests;
  await refresh(send, 'r2');
  await refresh(send, 'r3');
  expect(requests - before).toBe(2);
  await expect(refresh(send, 'r4')).rejects.toThrow('fetch failed');
  expect(await (await refresh(send, 'r4')).json()).toMatchObject({ access_token: 'at-for-r4' });
  expect(requests - before).toBe(3);
});

test('a refresh token the server kept (no rotation) is sent again once its refresh has finished', async () => {
  let calls = 0;
  const keeping = refreshingOnce(async () => {
    calls++;
    await Bun.sleep(10);
    return Response.json({ access_token: `at-${calls}`, refresh_token: 'kept', token_type: 'Bearer' });
  });
  const [a, b] = await Promise.all([refresh(keeping, 'kept'), refresh(keeping, 'kept')]);
  expect(await a.json()).toEqual(await b.json());
  expect(calls).toBe(1);
  // Later, after a revocation perhaps: only the server can say, so it is asked.
  expect(await (await refresh(keeping, 'kept')).json()).toMatchObject({ access_token: 'at-2' });
  expect(calls).toBe(2);
});

test('anything but a refresh goes straight through', async () => {
  const send = refreshingOnce(fetch);
  const before = requests;
  const code = { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }) };
  await send(url, code);
  await send(url, code);
  expect(requests - before).toBe(2);
});
