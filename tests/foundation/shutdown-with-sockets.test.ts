import { expect, test } from 'bun:test';
import { signIn } from '../support/people.ts';
import { startTestServer } from '../support/test-server.ts';
import { closed, openSocket, wsUrl } from '../support/ws.ts';

test('a graceful stop closes open WebSockets with "going away" and does not wait out its timeout', async () => {
  // A shutdown timeout far beyond this test's own: if the sockets held the HTTP server open, stop()
  // would wait it out and the test would fail, so stop() finishing at all is the check.
  await using server = await startTestServer({ SHUTDOWN_TIMEOUT_MS: '600000' });
  const uma = await signIn(server.url, 'uma@countersign.dev');
  const socket = await openSocket(wsUrl(server.url), { cookie: uma.cookie, origin: server.url });
  expect(socket.opened).toBe(true);
  const closing = closed(socket.socket);

  await server.stop();
  expect(await closing).toBe(1001);
  expect(server.db.closed).toBe(true);
});
