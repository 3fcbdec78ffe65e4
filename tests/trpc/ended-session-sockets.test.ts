/**
 * A WebSocket lives only as long as the session that opened it: a call made after the session
 * expired closes the socket (4401) instead of running, the socket closes by itself at expiry,
 * a session extended meanwhile keeps its socket, and `auth.logout` over the socket answers before
 * the socket closes.
 */
import { afterEach, describe, expect, setSystemTime, test } from 'bun:test';
import { sessions } from '../../db/schema.ts';
import { SocketSession } from '../../server/trpc/socket-session.ts';
import { signIn } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { TrpcSocket } from '../support/trpc-socket.ts';

afterEach(() => setSystemTime());

/** The one session's expiry (each test signs in once). */
function sessionExpiry(server: TestServer): number {
  const row = server.db.sqlite.query('SELECT expires_at AS expiresAt FROM sessions').get() as { expiresAt: number };
  return row.expiresAt;
}

function setSessionExpiry(server: TestServer, at: number): void {
  server.db.drizzle
    .update(sessions)
    .set({ expiresAt: new Date(at) })
    .run();
}

function chatCount(server: TestServer): number {
  return (server.db.sqlite.query('SELECT count(*) AS n FROM chats').get() as { n: number }).n;
}

describe('sockets of ended sessions', () => {
  test('a call after the session expired closes the socket with 4401 and does not run', async () => {
    await using server = await startTestServer();
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const socket = await TrpcSocket.open(server.url, uma.cookie);
    socket.call(1, 'query', 'auth.me');
    expect((await socket.reply(1)).result?.type).toBe('data');

    setSystemTime(new Date(sessionExpiry(server) + 1_000));
    socket.call(2, 'mutation', 'chats.create', { title: 'After expiry' });
    const outcome = await Promise.race([socket.closed, socket.reply(2).then(() => 'answered')]);
    expect(outcome).toBe(4401);
    expect(chatCount(server)).toBe(0);
  });

  test('a service’s API token that expired closes its socket with 4401 at the next call, which does not run', async () => {
    await using server = await startTestServer();
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const { id: umaId } = await uma.client.api.auth.me.query();
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { token } = await server.auth.issueApiTokenWithId(umaId, 'nightly report', { expiresAt });
    const socket = await TrpcSocket.open(server.url, token);
    socket.call(1, 'query', 'auth.me');
    expect((await socket.reply(1)).result?.type).toBe('data');

    setSystemTime(new Date(expiresAt.getTime() + 1_000));
    socket.call(2, 'mutation', 'chats.create', { title: 'After the token expired' });
    const outcome = await Promise.race([socket.closed, socket.reply(2).then(() => 'answered')]);
    expect(outcome).toBe(4401);
    expect(chatCount(server)).toBe(0);
  });

  test('a session extended by other use keeps its socket past the expiry it had when the socket opened', async () => {
    await using server = await startTestServer();
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const socket = await TrpcSocket.open(server.url, uma.cookie);
    const openedWith = sessionExpiry(server);
    setSessionExpiry(server, openedWith + 24 * 3_600_000);

    setSystemTime(new Date(openedWith + 1_000));
    socket.call(1, 'mutation', 'chats.create', { title: 'Still signed in' });
    expect((await socket.reply(1)).result?.data).toMatchObject({ title: 'Still signed in' });
    expect(socket.socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  test('the socket closes by itself when its session expires, with no call to notice', async () => {
    await using server = await startTestServer();
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const { auth, log } = server;
    const request = new Request(server.url, { headers: { cookie: uma.cookie } });
    const user = (await auth.authenticate(request))!;
    // The session ends unused; this socket's clock runs ahead, so its expiry is moments away.
    const ahead = auth.validUntil(user)!.getTime() - Date.now() - 50;
    setSessionExpiry(server, Date.now() - 1);
    const ended = Promise.withResolvers<number>();
    const session = new SocketSession({
      request,
      user,
      authenticate: (r) => auth.authenticate(r),
      validUntil: (u) => auth.validUntil(u),
      end: (code) => ended.resolve(code),
      log,
      now: () => Date.now() + ahead,
    });
    expect(await ended.promise).toBe(4401);
    session.dispose();
  });

  test('auth.logout over the socket answers, then the socket closes with 4401', async () => {
    await using server = await startTestServer();
    const uma = await signIn(server.url, 'uma@countersign.dev');
    const socket = await TrpcSocket.open(server.url, uma.cookie);
    socket.call(1, 'mutation', 'auth.logout');
    const first = await Promise.race([socket.reply(1), socket.closed.then((code) => ({ closedFirst: code }))]);
    expect(first).toMatchObject({ id: 1, result: { type: 'data', data: { signedOut: true } } });
    expect(await socket.closed).toBe(4401);
    const again = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: uma.cookie } });
    expect(again.status).toBe(401);
  });
});
