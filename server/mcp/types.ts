/**
 * What the MCP layer hands to the rest of the server: tools as the model will see them, and the
 * outcome of a tool call. Every failure is a value, never an exception, so the agent can show it
 * to the person and to the model alike.
 */
import type { ContentBlock } from '@modelcontextprotocol/client';

export type { ContentBlock };

/** Spec defaults filled in (MCP 2025-11-25 `ToolAnnotations`), so "not stated" reads as the cautious value. */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export type JsonSchemaObject = { type: 'object'; [key: string]: unknown };

export interface McpTool {
  /** Stable across servers and restarts; matches ^[a-zA-Z0-9_-]{1,64}$ (OpenAI function names). */
  uniqueName: string;
  serverId: string;
  serverName: string;
  /** The tool's own name on its server. */
  name: string;
  title: string | undefined;
  description: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  annotations: ToolHints;
  /** SHA-256 of the definition (see tool-definition.ts); what an admin approves. */
  definitionHash: string;
  /** Set when the definition differs from the pinned one: the tool is listed but never offered to the model. */
  held?: 'changed' | 'new';
}

export type ServerState =
  | { serverId: string; serverName: string; status: 'connected'; protocolVersion: string | undefined }
  | { serverId: string; serverName: string; status: 'unavailable'; error: string; retryAt: number | undefined }
  | { serverId: string; serverName: string; status: 'disabled' };

export interface ToolListing {
  /** Held tools included (flagged); offer only those without `held` to the model. */
  tools: McpTool[];
  servers: ServerState[];
}

export type FailureKind =
  /** The server could not be reached, crashed, or is backing off before the next reconnect. */
  | 'unavailable'
  /** The server answered with a JSON-RPC error (unknown tool, invalid arguments, ...). */
  | 'protocol'
  /** The tool ran and reported failure (`isError: true`). */
  | 'tool-error'
  | 'timeout'
  | 'cancelled'
  /** The tool's definition changed or appeared after pinning; an admin must review it first. */
  | 'held'
  /** No connected server offers a tool by that unique name. */
  | 'unknown-tool';

export type ToolCallOutcome =
  | { ok: true; content: ContentBlock[]; structuredContent: Record<string, unknown> | undefined; text: string }
  | { ok: false; kind: FailureKind; message: string; content?: ContentBlock[] };

export interface ToolProgress {
  progress: number;
  total: number | undefined;
  message: string | undefined;
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ToolProgress) => void;
  /** Overrides config.mcp.toolTimeoutMs; the timer restarts on every progress notification. */
  timeoutMs?: number;
}

export interface ToolsChangedEvent {
  userId: string;
  serverId: string;
}
