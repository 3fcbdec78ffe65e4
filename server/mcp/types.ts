/**
 * What the MCP layer hands to the rest of the server: its side of the agent's tool port
 * (server/agent/tool-port.ts, the one file of server/agent/ this folder may import), plus what
 * only the MCP layer knows: spec-complete annotations, the pinning hash, and each server's state.
 */
import type { AgentTool, ToolCallOptions } from '../agent/tool-port.ts';

/** Spec defaults filled in (MCP 2025-11-25 `ToolAnnotations`), so "not stated" reads as the cautious value. */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export type JsonSchemaObject = { type: 'object'; [key: string]: unknown };

/**
 * A tool as the agent's port describes it, with what MCP always knows. `uniqueName` is stable
 * across servers and restarts and matches ^[a-zA-Z0-9_-]{1,64}$ (OpenAI function names); `held`
 * is set when the definition differs from the pinned one.
 */
export interface McpTool extends AgentTool {
  title: string | undefined;
  description: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  annotations: ToolHints;
  /** SHA-256 of the definition (see tool-definition.ts); what an admin approves. */
  definitionHash: string;
}

export type ServerState =
  | { serverId: string; serverName: string; status: 'connected'; protocolVersion: string | undefined }
  | { serverId: string; serverName: string; status: 'unavailable'; error: string; retryAt: number | undefined }
  /** The person has not signed in at the server's authorisation server, or their authorisation ended. */
  | { serverId: string; serverName: string; status: 'needs_sign_in'; error: string }
  | { serverId: string; serverName: string; status: 'disabled' };

export interface ToolListing {
  /** Held tools included (flagged); offer only those without `held` to the model. */
  tools: McpTool[];
  servers: ServerState[];
}

/** The port's options, all optional for callers outside the agent (tests, the conformance client). */
export interface CallOptions extends Partial<ToolCallOptions> {
  /** Overrides config.mcp.toolTimeoutMs; the timer restarts on every progress notification. */
  timeoutMs?: number;
}

export interface ToolsChangedEvent {
  userId: string;
  serverId: string;
  /** Which of the server's lists changed; absent, any of them may have (an admin's edit, the server gone or back). */
  lists?: ('tools' | 'prompts' | 'resources')[];
}
