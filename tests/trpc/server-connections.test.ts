/**
 * `servers.connect` and `servers.disconnect`: one path each, which lists the person's tools once
 * and recompiles their graph once (counted in the server's debug log and at the MCP server), and
 * a server the catalogue does not have is refused by name.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../shared/client.ts';
import { recordingLogger, type LogEntry } from '../agent/support.ts';
import { startMutableServer, tool, type MutableServer } from '../mcp/fixtures/mutable-server.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Whole servers on a loaded 2-core machine: bun's 5 s default is too tight (bunfig's timeout is not applied).
setDefaultTimeout(30_000);

const logs: LogEntry[] = [];
let server: TestServer;
let mcpServer: MutableServer;
let serverId: string;
let uma: Person;

beforeAll(async () => {
  server = await startTestServer({}, { log: recordingLogger(logs) });
  // Two tools a page, so one listing is two tools/list requests.
  mcpServer = startMutableServer([tool('alpha'), tool('beta'), tool('gamma')]);
  ({ id: serverId } = await server.catalogue.create({ name: 'Mutable', transport: 'streamable-http', url: mcpServer.url }));
  uma = await signIn(server.url, 'uma@countersign.dev');
  await uma.client.api.session.initialize.mutate();
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
  await mcpServer.stop();
});

/** What the server did for one call: person-tool listings and graph recompilations, from its debug log. */
async function workDoneBy(call: () => Promise<unknown>) {
  logs.length = 0;
  await call();
  return {
    listings: logs.filter((e) => e.msg === 'tools listed').length,
    recompilations: logs.filter((e) => e.msg === 'graph recompiled').length,
  };
}

test('one connect lists the person’s tools once and recompiles their graph once, and the next turn has the tools', async () => {
  await uma.client.api.servers.disconnect.mutate({ serverId });
  const pagesBefore = mcpServer.pages.length;
  let answer: Awaited<ReturnType<typeof uma.client.api.servers.connect.mutate>> | undefined;
  const work = await workDoneBy(async () => {
    answer = await uma.client.api.servers.connect.mutate({ serverId });
  });

  expect(work).toEqual({ listings: 1, recompilations: 1 });
  expect(mcpServer.pages.slice(pagesBefore)).toEqual(['first', '2']);
  expect(answer).toMatchObject({ id: serverId, connection: 'connected' });
  expect(answer!.tools.map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma']);
  const userId = (await uma.client.api.auth.me.query()).id;
  expect(server.llmHandlers.peek(userId)!.tools.map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma']);
});

test('one disconnect lists once and recompiles once, and the tools are gone from the graph', async () => {
  await uma.client.api.servers.connect.mutate({ serverId });
  const work = await workDoneBy(() => uma.client.api.servers.disconnect.mutate({ serverId }));

  expect(work).toEqual({ listings: 1, recompilations: 1 });
  const userId = (await uma.client.api.auth.me.query()).id;
  expect(server.llmHandlers.peek(userId)!.tools.filter((t) => t.serverId === serverId)).toEqual([]);
});

test('disconnecting a server the catalogue does not have is refused as NOT_FOUND, naming it', async () => {
  const refused = await uma.client.api.servers.disconnect.mutate({ serverId: 'no-such-server' }).catch((error: unknown) => error);

  expect(refused).toBeInstanceOf(TRPCClientError);
  expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
  expect((refused as Error).message).toContain('no-such-server');
});
