/**
 * The tool port: what the agent needs from whoever lists and runs a person's tools. The agent
 * declares it; server/mcp/ implements it (`McpTool extends AgentTool`, `MCPHandler implements
 * ToolCaller`) and imports nothing else from server/agent/. So nothing here knows about MCP
 * clients or transports, and server/mcp/ knows nothing about LangChain.
 */
import type { ToolAnnotations } from '../../shared/chat-events.ts';

/** A tool one person can use, as the implementation lists it. */
export interface AgentTool {
  /** Unique across the person's servers; the name the model calls. */
  uniqueName: string;
  serverId: string;
  serverName: string;
  /** The tool's own name on its server; admin policies are keyed by it. */
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: ToolAnnotations;
  /** Held back for an admin's review (new, or changed since pinned): listed, never offered to the model. */
  held?: 'changed' | 'new';
  /** Listed, never offered to the model: a call its implementation cannot make, in words for the person and the model. */
  unavailable?: string;
}

export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface ToolContentBlock {
  type: string;
  text?: string;
  mimeType?: string;
  uri?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
  [key: string]: unknown;
}

export type ToolFailureKind =
  /** The server could not be reached, crashed, or is backing off before the next reconnect. */
  | 'unavailable'
  /**
   * The exchange failed at the protocol level: the server answered with a JSON-RPC error (unknown
   * tool, invalid arguments, ...), or the client could not use its answer or make the request.
   */
  | 'protocol'
  /** The tool ran and reported failure (`isError: true`). */
  | 'tool-error'
  | 'timeout'
  | 'cancelled'
  /** The tool's definition changed or appeared after pinning; an admin must review it first. */
  | 'held'
  /** No connected server offers a tool by that unique name. */
  | 'unknown-tool'
  /** The server wants the person to sign in at its authorisation server first; the call did not run. */
  | 'needs-sign-in'
  /** The caller threw instead of answering; the agent still reports it, so no call's end is lost. */
  | 'error';

/** Every failure is a value, never an exception, so the agent can show it to the person and to the model alike. */
export type ToolCallResult =
  /** `text`: the content as text, rendered by the implementation, which knows its content blocks. */
  | { ok: true; content: ToolContentBlock[]; structuredContent?: Record<string, unknown>; text: string }
  | { ok: false; kind: ToolFailureKind; message: string; content?: ToolContentBlock[] };

export interface ToolCallOptions {
  signal: AbortSignal;
  onProgress?: (progress: ToolProgress) => void;
}

/** Calls a person's tools by unique name. */
export interface ToolCaller {
  callTool(uniqueName: string, args: Record<string, unknown>, options: ToolCallOptions): Promise<ToolCallResult>;
}
