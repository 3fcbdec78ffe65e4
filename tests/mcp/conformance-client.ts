/**
 * The client the official MCP conformance suite drives (`conformance client --command ...`): it
 * runs the real MCP layer (catalogue entry → MCPHandler.connect → listTools → callTool) against
 * the scenario's server, whose URL the suite appends as the last argument. It lives with the
 * tests because it exists only for the suite; it keeps its database in memory.
 *
 * Exit status 0 when every step worked, 1 otherwise (the suite reports a failing client).
 */
import { openSqliteDatabase } from '../../db/database.ts';
import { LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { createLogger } from '../../server/log.ts';
import { MCPHandlerManager } from '../../server/mcp/mcp-handler-manager.ts';
import type { JsonSchemaObject } from '../../server/mcp/types.ts';
import { catalogueService, createUser } from './support.ts';

/** A plausible value for each required argument, from its JSON schema type. */
function sampleArguments(schema: JsonSchemaObject): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: string }>;
  const required = (schema.required ?? []) as string[];
  const samples: Record<string, unknown> = { number: 1, integer: 1, string: 'conformance', boolean: true, array: [], object: {} };
  return Object.fromEntries(required.map((name) => [name, samples[properties[name]?.type ?? 'string'] ?? null]));
}

const url = process.argv.at(-1);
if (!url?.startsWith('http')) {
  console.error('usage: conformance-client.ts <server url>');
  process.exit(2);
}

const log = createLogger('warn', { scenario: process.env.MCP_CONFORMANCE_SCENARIO });
const db = openSqliteDatabase(':memory:');
const control = new LocalControlChannel();
const catalogue = catalogueService(db, control, log);
const manager = new MCPHandlerManager({
  db,
  catalogue,
  log,
  config: { toolTimeoutMs: 20_000 },
  origin: () => 'http://127.0.0.1:1',
  control,
});
let failed = false;
try {
  const entry = await catalogue.create({ name: 'Conformance', transport: 'streamable-http', url });
  const handler = manager.forUser(await createUser(db, 'conformance'));
  const state = await handler.connect(entry.id);
  console.error('connect:', JSON.stringify(state));
  if (state.status !== 'connected') failed = true;
  const { tools } = await handler.listTools();
  const echo = tools.find((t) => t.name === 'json_schema_echo');
  for (const tool of tools.filter((t) => !t.held)) {
    // json-schema-2020-12-preservation: send the other tool's schema back as the layer holds it,
    // proving no JSON Schema keyword was lost on the way to the model.
    const args = echo
      ? tool === echo
        ? { schema: tools.find((t) => t !== echo)?.inputSchema }
        : undefined
      : sampleArguments(tool.inputSchema);
    if (!args) continue;
    const outcome = await handler.callTool(tool.uniqueName, args);
    console.error(`${tool.name}:`, JSON.stringify(outcome));
    if (!outcome.ok) failed = true;
  }
} catch (error) {
  console.error('conformance client failed:', error);
  failed = true;
} finally {
  await manager.closeAll();
  db.close();
}
process.exit(failed ? 1 : 0);
