/**
 * The built-in MCP server at PUBLIC_URL/mcp with two instances behind HAProxy, which sends each
 * request to the next instance in turn: an outside MCP client and an admin's "Test connection"
 * must work whichever instance each of their requests lands on, and so must a client's cancel.
 */
import { expect, test } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { TestConnection } from '../../admin/src/api/operations.ts';
import { createAdminClient } from '../../admin/src/api/client.ts';
import { type AppDatabase, openDatabase } from '../../db/database.ts';
import { INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { MAX_OPEN_REQUESTS_PER_USER } from '../../server/mcp-server/requests.ts';
import { sharedUserTokens } from '../../server/mcp-server/user-token.ts';
import { createUser } from '../mcp/support.ts';
import { type Cluster, withCluster } from '../support/cluster.ts';
import { eventually } from '../support/eventually.ts';
import { createTestSchema } from '../support/services.ts';
import { postMcp, startCancellableCalls } from '../support/internal-mcp-client.ts';

/** HAProxy's log names the instance that answered each request: `instances/a ... "POST /mcp HTTP/1.1"`. */
function mcpRequestsPerInstance(haproxyLog: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [, instance] of haproxyLog.matchAll(/ instances\/(\w+) .*"(?:GET|POST|DELETE) \/mcp /g)) {
    counts[instance!] = (counts[instance!] ?? 0) + 1;
  }
  return counts;
}

/** Two instances on a schema the test also opens, to sign a client's token with the key they share. */
async function withTwoInstances(body: (cluster: Cluster, db: AppDatabase) => Promise<void>): Promise<void> {
  const schema = await createTestSchema();
  const db = await openDatabase({ url: schema.url, schema: schema.schema });
  try {
    await withCluster({ instances: 2, env: { DATABASE_URL: schema.url, DATABASE_SCHEMA: schema.schema } }, (cluster) => body(cluster, db));
  } finally {
    await db.close();
    await schema.drop();
  }
}

test('through the load balancer, an outside MCP client and the admin connection test are served by either instance', async () => {
  await withTwoInstances(async (cluster, db) => {
    const uma = await createUser(db, 'uma');
    const { token } = await sharedUserTokens(db).sign(uma);
    const client = new Client({ name: 'outside-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${cluster.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    try {
      for (let round = 1; round <= 3; round++) {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toContain('slow_count');
        const progress: number[] = [];
        const counted = await client.callTool({ name: 'slow_count', arguments: { to: 3, intervalMs: 10 } }, undefined, {
          onprogress: (p) => progress.push(p.progress),
        });
        expect(counted.content).toEqual([{ type: 'text', text: 'Counted to 3.' }]);
        expect(progress).toEqual([1, 2, 3]);
        await client.callTool({ name: 'notes_create', arguments: { title: `Note ${round}` } });
      }
      const listed = await client.callTool({ name: 'notes_list', arguments: {} });
      const notes = (listed.structuredContent as { notes: { title: string }[] }).notes;
      expect(notes.map((n) => n.title).sort()).toEqual(['Note 1', 'Note 2', 'Note 3']);
    } finally {
      await client.close();
    }
    const served = mcpRequestsPerInstance(cluster.loadBalancer.process.output());
    expect(served.a).toBeGreaterThan(2);
    expect(served.b).toBeGreaterThan(2);

    // Ada's test of the built-in entry runs on whichever instance takes her request, and goes to
    // the catalogue's URL, the load balancer's /mcp, like any outside client.
    const ada = await cluster.signIn('ada@countersign.dev');
    const admin = createAdminClient({ url: cluster.url, headers: { cookie: ada.cookie } });
    for (let attempt = 0; attempt < 2; attempt++) {
      const { testConnection } = await admin(TestConnection, { serverId: INTERNAL_SERVER_ID });
      // The outside client above spoke 2025-11-25; the test negotiates the stateless 2026-07-28.
      expect(testConnection).toMatchObject({ ok: true, error: null, protocolVersion: '2026-07-28' });
      expect(testConnection.tools.map((t) => t.name)).toContain('notes_list');
    }
  });
}, 180_000);

test('a client’s cancel reaching the other instance stops the call on the instance running it', async () => {
  await withTwoInstances(async (cluster, db) => {
    const [a, b] = [cluster.instance(0), cluster.instance(1)];
    const { token } = await sharedUserTokens(db).sign(await createUser(db, 'vic'));
    // The client's calls go to A and its cancels to B, as HAProxy's turn-taking may send them.
    const cancelsAnsweredByB: number[] = [];
    const client = new Client({ name: 'outside-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${a.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
        fetch: async (url, init) => {
          const message = typeof init?.body === 'string' ? (JSON.parse(init.body) as { method?: string }) : {};
          if (message.method !== 'notifications/cancelled') return fetch(url, init);
          const response = await fetch(`${b.url}/mcp`, init);
          cancelsAnsweredByB.push(response.status);
          return response;
        },
      }),
    );
    // All the requests vic may hold open on A, so A refuses one more until one of them stops.
    const calls = startCancellableCalls(client, MAX_OPEN_REQUESTS_PER_USER, 500);
    const oneMore = {
      jsonrpc: '2.0',
      id: 'one-more',
      method: 'tools/call',
      params: { name: 'calculate', arguments: { expression: '1 + 1' } },
    };
    try {
      await eventually(() => calls.every((call) => call.progress > 0), "all of vic's calls to be counting on A");
      expect((await postMcp(a.url, token, oneMore)).status).toBe(429);

      calls[0]!.cancel.abort('vic changed his mind');
      expect(await calls[0]!.outcome).toBeInstanceOf(Error);
      await eventually(async () => {
        const response = await postMcp(a.url, token, oneMore);
        await response.body?.cancel();
        return response.status === 200;
      }, "vic's cancelled call to stop holding one of his open requests on A");
      // The client sends its cancel as it drops the call, so it may be answered a moment after A has let go.
      await eventually(() => cancelsAnsweredByB.length > 0, "vic's cancel to be answered by B");
      expect(cancelsAnsweredByB).toEqual([202]);
    } finally {
      for (const call of calls) call.cancel.abort();
      await client.close();
    }
  });
}, 180_000);
