import { describe, expect, test } from 'bun:test';
import { createCountersignClient } from '../../shared/client.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { eventually } from '../support/eventually.ts';
import { startTestServer } from '../support/test-server.ts';
import { closed, openSocket, wsUrl } from '../support/ws.ts';

async function signedIn(appUrl: string, email: string) {
  const browser = new HttpBrowser();
  await signInWithDevProvider(browser, appUrl, email);
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return { browser, cookie };
}

describe('tRPC over WebSocket', () => {
  test('a signed-in browser on the app origin calls procedures over the socket', async () => {
    await using server = await startTestServer();
    const { cookie } = await signedIn(server.url, 'uma@countersign.dev');
    const client = createCountersignClient({ url: server.url, headers: { cookie, origin: server.url }, allOverWebSocket: true });
    const me = await client.api.auth.me.query();
    expect(me.email).toBe('uma@countersign.dev');
    await client.close();
  });

  test('an upgrade without a session is refused', async () => {
    await using server = await startTestServer();
    const outcome = await openSocket(wsUrl(server.url), { origin: server.url });
    expect(outcome.opened).toBe(false);
  });

  test('an upgrade from a foreign Origin is refused even with a valid session cookie', async () => {
    await using server = await startTestServer();
    const { cookie } = await signedIn(server.url, 'uma@countersign.dev');
    const outcome = await openSocket(wsUrl(server.url), { cookie, origin: 'https://evil.example' });
    expect(outcome.opened).toBe(false);
    const own = await openSocket(wsUrl(server.url), { cookie, origin: server.url });
    expect(own.opened).toBe(true);
    own.socket.close();
  });

  test('logging out over HTTP closes that session’s open socket, and only that one', async () => {
    await using server = await startTestServer();
    const uma = await signedIn(server.url, 'uma@countersign.dev');
    const umaElsewhere = await signedIn(server.url, 'uma@countersign.dev');
    const first = await openSocket(wsUrl(server.url), { cookie: uma.cookie, origin: server.url });
    const second = await openSocket(wsUrl(server.url), { cookie: umaElsewhere.cookie, origin: server.url });
    expect(first.opened && second.opened).toBe(true);

    const closing = closed(first.socket);
    const res = await uma.browser.fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { origin: server.url } });
    expect(res.status).toBeLessThan(400);
    expect(await closing).toBe(4401);
    expect(second.socket.readyState).toBe(WebSocket.OPEN);
    second.socket.close();
  });

  test('disabling a user ends their sockets', async () => {
    await using server = await startTestServer();
    const ulf = await signedIn(server.url, 'ulf@countersign.dev');
    const socket = await openSocket(wsUrl(server.url), { cookie: ulf.cookie, origin: server.url });
    expect(socket.opened).toBe(true);
    const me = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: ulf.cookie } });
    const userId = ((await me.json()) as { result: { data: { id: string } } }).result.data.id;

    const closing = closed(socket.socket);
    await server.auth.disableUser(userId);
    expect(await closing).toBe(4401);
  });

  test('one person may hold at most 20 sockets open; the 21st is refused until one closes', async () => {
    await using server = await startTestServer();
    const { cookie } = await signedIn(server.url, 'uma@countersign.dev');
    const open = [];
    for (let i = 0; i < 20; i++) open.push(await openSocket(wsUrl(server.url), { cookie, origin: server.url }));
    expect(open.every((o) => o.opened)).toBe(true);
    expect((await openSocket(wsUrl(server.url), { cookie, origin: server.url })).opened).toBe(false);

    const first = open.shift()!.socket;
    const gone = closed(first);
    first.close();
    await gone;
    // The server hears of the close a moment after the client does.
    const again = await eventually(async () => {
      const attempt = await openSocket(wsUrl(server.url), { cookie, origin: server.url });
      return attempt.opened ? attempt : undefined;
    }, 'a socket to be accepted again once one closed');
    for (const o of [...open, again]) o.socket.close();
  });

  test('HTTP mutations accept only application/json, so a cross-site form cannot drive them', async () => {
    await using server = await startTestServer();
    const { cookie } = await signedIn(server.url, 'uma@countersign.dev');
    const res = await fetch(`${server.url}/trpc/chats.create`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'title=pwned',
    });
    expect(res.status).toBe(415);
    const list = await fetch(`${server.url}/trpc/chats.list`, { headers: { cookie } });
    expect(((await list.json()) as { result: { data: { items: unknown[] } } }).result.data.items).toEqual([]);
  });
});
