import { expect, test } from 'bun:test';
import { signIn } from '../support/people.ts';
import { startTestServer } from '../support/test-server.ts';
import { closed, openSocket, wsUrl } from '../support/ws.ts';

test('a graceful stop closes open WebSockets with "going away" and does not wait out its timeout', async () => {
  // A timeout far above what a prompt stop needs: if sockets held the HTTP server open, stop() would hit it.
  await using server = await startTestServer({ SHUTDOWN_TIMEOUT_MS: '60000' });
  const uma = await signIn(server.url, 'uma@countersign.dev');
  const socket = await openSocket(wsUrl(server.url), { cookie: uma.cookie, origin: server.url });
  expect(socket.opened).toBe(true);
  const closing = closed(socket.socket);

  const stopped = server.stop().then(() => 'stopped');
  const first = await Promise.race([stopped, Bun.sleep(15_000).then(() => 'still waiting')]);
  expect(first).toBe('stopped');
  expect(await closing).toBe(1001);
  expect(server.services.db.closed).toBe(true);
});
