/** What ships with a release follows it across restarts: the built-in tools' pins, and server-everything's paths. */
import { expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { EVERYTHING_SERVER_ID, INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { signIn } from '../support/people.ts';
import { startTestServer } from '../support/test-server.ts';

test('after an upgrade the built-in tools are pinned afresh, and a moved install’s server-everything path is fixed', async () => {
  await using first = await startTestServer();
  const uma = await signIn(first.url, 'uma@countersign.dev');
  await uma.client.api.servers.connect.mutate({ serverId: INTERNAL_SERVER_ID });
  await uma.client.close();
  // As an older release would have left things: another definition pinned, another install's path.
  first.db.sqlite.run(
    `UPDATE mcp_servers SET pinned_tools = json_set(pinned_tools, '$.notes_list', 'hash-of-an-older-release') WHERE id = ?`,
    [INTERNAL_SERVER_ID],
  );
  first.db.sqlite.run(
    `UPDATE mcp_servers SET args = json_array('/gone/node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio') WHERE id = ?`,
    [EVERYTHING_SERVER_ID],
  );

  await using second = await first.restart();
  const again = await signIn(second.url, 'uma@countersign.dev');
  const internal = (await again.client.api.servers.list.query()).find((s) => s.id === INTERNAL_SERVER_ID)!;
  expect(internal.connection).toBe('connected');
  expect(internal.tools.find((t) => t.name === 'notes_list')).toMatchObject({ held: false });

  const everything = await second.catalogue.get(EVERYTHING_SERVER_ID);
  expect(existsSync(everything!.args[0]!)).toBe(true);
  await again.client.close();
});
