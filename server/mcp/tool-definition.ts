/**
 * Turns a server's tool definition into what the rest of the server uses, and fingerprints the
 * parts that steer the model (name, title, description, input schema, annotations) for tool
 * pinning: a server that quietly rewrites a description after it was accepted is a classic
 * prompt-injection route, so a changed fingerprint holds the tool back until an admin looks.
 */
import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/client';
import { canonicalJson } from '../canonical-json.ts';
import { uniqueToolName } from './tool-names.ts';
import type { JsonSchemaObject, McpTool, ToolHints } from './types.ts';

export function definitionHash(tool: Tool): string {
  const pinned = {
    name: tool.name,
    title: tool.title ?? tool.annotations?.title,
    description: tool.description ?? '',
    inputSchema: tool.inputSchema,
    annotations: tool.annotations ?? {},
  };
  return createHash('sha256').update(canonicalJson(pinned)).digest('hex');
}

function hints(tool: Tool): ToolHints {
  const a = tool.annotations ?? {};
  return {
    readOnlyHint: a.readOnlyHint ?? false,
    // The spec gives destructiveHint meaning only for tools that are not read-only.
    destructiveHint: a.readOnlyHint === true ? false : (a.destructiveHint ?? true),
    idempotentHint: a.idempotentHint ?? false,
    openWorldHint: a.openWorldHint ?? true,
  };
}

/**
 * Tools that run only as tasks (MCP 2025-11-25 `execution.taskSupport: "required"`) fail every
 * plain call, and Countersign makes no task-augmented calls yet: they are listed, never offered.
 */
const NEEDS_TASKS = 'needs task-based calls, which Countersign does not support yet';

export function toMcpTool(server: { id: string; name: string }, tool: Tool): McpTool {
  return {
    uniqueName: uniqueToolName(server.name, tool.name),
    serverId: server.id,
    serverName: server.name,
    name: tool.name,
    title: tool.title ?? tool.annotations?.title,
    description: tool.description ?? '',
    inputSchema: tool.inputSchema as JsonSchemaObject,
    ...(tool.outputSchema ? { outputSchema: { ...tool.outputSchema, type: 'object' } as JsonSchemaObject } : {}),
    annotations: hints(tool),
    definitionHash: definitionHash(tool),
    ...(tool.execution?.taskSupport === 'required' ? { unavailable: NEEDS_TASKS } : {}),
  };
}

/**
 * Compares a listing with the pinned hashes. An empty pin set means the server was never listed:
 * that first listing is accepted as it is and becomes the pin set.
 */
export function applyPins(
  tools: McpTool[],
  pinned: Record<string, string>,
): { tools: McpTool[]; firstSight: Record<string, string> | undefined } {
  if (Object.keys(pinned).length === 0) {
    return { tools, firstSight: Object.fromEntries(tools.map((t) => [t.name, t.definitionHash])) };
  }
  return {
    tools: tools.map((tool) => {
      const hash = pinned[tool.name];
      if (hash === undefined) return { ...tool, held: 'new' as const };
      if (hash !== tool.definitionHash) return { ...tool, held: 'changed' as const };
      return tool;
    }),
    firstSight: undefined,
  };
}
