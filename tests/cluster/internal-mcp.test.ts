/**
 * The built-in MCP server at PUBLIC_URL/mcp with two instances behind HAProxy, which sends each
 * request to the next instance in turn: an outside MCP client and an admin's "Test connection"
 * must work whichever instance each of their requests lands on.
 */
import { expect, test } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { TestConnection } from '../../admin/src/api/operations.ts';
import { createAdminClient } from '../../admin/src/api/client.ts';
import { openDatabase } from '../../db/database.ts';
import { INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { sharedUserTokens } from '../../server/mcp-server/user-token.ts';
import { createUser } from '../mcp/support.ts';
import { withCluster } from '../support/cluster.ts';
import { createTestSchema } from '../support/services.ts';

/** HAProxy's log names the instance that answered each request: `instances/a ... "POST /mcp HTTP/1.1"`. */
function mcpRequestsPerInstance(haproxyLog: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [, instance] of haproxyLog.matchAll(/ instances\/(\w+) .*"(?:GET|POST|DELETE) \/mcp /g)) {
    counts[instance!] = (counts[instance!] ?? 0) + 1;
  }
  return counts;
}

test('through the load balancer, an outside MCP client and the admin connection test are served by either instance', async () => {
  // The instances run on a schema this test also opens, to sign the client's token with the key they share.
  const schema = await createTestSchema();
  const db = await openDatabase({ url: schema.url, schema: schema.schema });
  try {
    await withCluster({ instances: 2, env: { DATABASE_URL: schema.url, DATABASE_SCHEMA: schema.schema } }, async (cluster) => {
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
        expect(testConnection).toMatchObject({ ok: true, error: null, protocolVersion: '2025-11-25' });
        expect(testConnection.tools.map((t) => t.name)).toContain('notes_list');
      }
    });
  } finally {
    await db.close();
    await schema.drop();
  }
}, 180_000);
