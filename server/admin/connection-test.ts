/**
 * "Test connection": connects to a server definition the way a user's handler would (same
 * transports, same secret resolution, signed as the admin for this server's own MCP server),
 * lists its tools, and closes again. Nothing is saved and no user's connection is touched.
 * Testing a saved server as it is also hands held definitions to the catalogue, so an admin
 * can approve them before any user meets them. A definition outside the operator's trust
 * boundary is not contacted at all: the answer says which setting refuses it.
 */
import { cataloguePolicy } from '../agent/policy.ts';
import type { Logger } from '../log.ts';
import type { CatalogueEntry, CatalogueService } from '../mcp/catalogue.ts';
import { ServerConnection } from '../mcp/connection.ts';
import type { ServerAuth } from '../mcp/oauth/server-auth.ts';
import type { McpUserTokens } from '../mcp-server/user-token.ts';
import { applyPins, toMcpTool } from '../mcp/tool-definition.ts';
import type { McpTool, ToolHints } from '../mcp/types.ts';
import type { ToolPolicy } from '../../db/schema.ts';

/** Long enough for a slow stdio start, short enough for a person waiting on a button. */
const TEST_TIMEOUT_MS = 20_000;

export interface TestedTool {
  name: string;
  title: string | null;
  description: string;
  annotations: ToolHints;
  inputSchema: unknown;
  definitionHash: string;
  policy: ToolPolicy;
  explicitPolicy: ToolPolicy | null;
  pinState: 'pinned' | 'changed' | 'new' | 'unpinned';
}

export interface ConnectionTestResult {
  ok: boolean;
  error: string | null;
  protocolVersion: string | null;
  durationMs: number;
  tools: TestedTool[];
}

export interface ConnectionTestDeps {
  catalogue: CatalogueService;
  userTokens: McpUserTokens;
  /** For servers behind OAuth, the test runs with the admin's own authorisation. */
  mcpAuth: ServerAuth;
  origin: () => string;
  log: Logger;
}

/** `saved`: the definition is the stored one, unchanged, so its pins and held list apply. */
export async function testConnection(
  deps: ConnectionTestDeps,
  entry: CatalogueEntry,
  options: { adminId: string; saved: boolean },
): Promise<ConnectionTestResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refusals = await deps.catalogue.boundary.refusals(entry);
  if (refusals.length > 0) return { ok: false, error: refusals.join('; '), protocolVersion: null, durationMs: elapsed(), tools: [] };
  const connection = new ServerConnection(entry, {
    userId: options.adminId,
    log: deps.log,
    toolTimeoutMs: TEST_TIMEOUT_MS,
    ownOrigin: deps.origin,
    boundary: deps.catalogue.boundary,
    auth: deps.mcpAuth,
    userToken: async () => (await deps.userTokens.sign(options.adminId)).token,
    // A private profile map: a test must not teach users' connections a transport verdict.
    profiles: new Map(),
    onToolsChanged: () => {},
    onErrorChanged: () => {},
  });
  try {
    const raw = await connection.listTools();
    const state = connection.state();
    const tools = raw.map((tool) => toMcpTool(entry, tool));
    const pinned = options.saved && Object.keys(entry.pinnedTools).length > 0 ? applyPins(tools, entry.pinnedTools).tools : undefined;
    if (pinned) await Promise.all(pinned.filter((tool) => tool.held).map((tool) => deps.catalogue.noteHeld(tool)));
    return {
      ok: true,
      error: null,
      protocolVersion: state.status === 'connected' ? (state.protocolVersion ?? null) : null,
      durationMs: elapsed(),
      tools: (pinned ?? tools).map((tool) => describe(tool, entry, pinned !== undefined)),
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message, protocolVersion: null, durationMs: elapsed(), tools: [] };
  } finally {
    await connection.close();
  }
}

function describe(tool: McpTool, entry: CatalogueEntry, hasPins: boolean): TestedTool {
  return {
    name: tool.name,
    title: tool.title ?? null,
    description: tool.description,
    annotations: tool.annotations,
    inputSchema: tool.inputSchema,
    definitionHash: tool.definitionHash,
    policy: cataloguePolicy({ name: tool.name, annotations: tool.annotations }, entry).policy,
    explicitPolicy: entry.toolPolicies[tool.name] ?? null,
    pinState: !hasPins ? 'unpinned' : (tool.held ?? 'pinned'),
  };
}
