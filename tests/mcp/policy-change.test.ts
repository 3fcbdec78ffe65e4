/** An admin's policy change applies from the next turn without dropping anyone's connection. */
import { expect, test } from 'bun:test';
import { EVERYTHING_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { signIn } from '../support/people.ts';
import { startTestServer } from '../support/test-server.ts';

test('setting a tool’s policy keeps connections open and shows at once', async () => {
  await using server = await startTestServer();
  const uma = await signIn(server.url, 'uma@countersign.dev');
  await uma.client.api.servers.connect.mutate({ serverId: EVERYTHING_SERVER_ID });
  const { id: userId } = await uma.client.api.auth.me.query();
  const handler = server.mcpHandlers.forUser(userId);
  const pid = handler.processId(EVERYTHING_SERVER_ID);
  expect(pid).toBeNumber();

  await server.catalogue.setToolPolicy(EVERYTHING_SERVER_ID, 'echo', 'deny');
  const everything = (await uma.client.api.servers.list.query()).find((s) => s.id === EVERYTHING_SERVER_ID)!;
  expect(everything.tools.find((t) => t.name === 'echo')?.policy).toBe('deny');
  expect(handler.processId(EVERYTHING_SERVER_ID)).toBe(pid!);

  // A change of how to reach the server does reconnect.
  await server.catalogue.update(EVERYTHING_SERVER_ID, { description: 'Renamed' });
  await uma.client.api.servers.list.query();
  expect(handler.processId(EVERYTHING_SERVER_ID)).not.toBe(pid!);
  await uma.client.close();
});
