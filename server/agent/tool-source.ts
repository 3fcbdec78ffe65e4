/**
 * The seam where MCP meets the model. The MCP side hands the agent plain tool descriptions and
 * something that can call them; nothing here knows about MCP clients or transports, and
 * server/mcp/ knows nothing about LangChain.
 */
import type { ToolAnnotations } from '../../shared/chat-events.ts';

/** A tool one person can use, as the MCP handler lists it. */
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

export type ToolCallResult =
  /** `text`: the content as text, when the MCP side has already rendered it. */
  | { ok: true; content: ToolContentBlock[]; structuredContent?: unknown; text?: string }
  /** `kind` tells local failures (timeout, disconnected…) from errors the tool itself reported. */
  | { ok: false; kind: string; message: string };

/** Calls a person's tools. */
export interface ToolCaller {
  callTool(
    uniqueName: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; onProgress?: (progress: ToolProgress) => void },
  ): Promise<ToolCallResult>;
}

const RESULT_LIMIT = 20_000;

/** The result as the text the model reads (and the chat shows), bounded so one tool cannot flood the context. */
export function resultText(result: ToolCallResult): string {
  if (!result.ok) return `Tool failed (${result.kind}): ${result.message}`;
  const text = result.text ?? renderContent(result);
  return text.length > RESULT_LIMIT ? `${text.slice(0, RESULT_LIMIT)}\n…(truncated)` : text;
}

function renderContent(result: Extract<ToolCallResult, { ok: true }>): string {
  const parts = result.content.map(blockText).filter((part) => part.length > 0);
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n') || '(the tool returned no content)';
}

function blockText(block: ToolContentBlock): string {
  if (block.type === 'text') return block.text ?? '';
  if (block.type === 'resource') return block.resource?.text ?? `[resource ${block.resource?.uri ?? ''}]`;
  if (block.type === 'resource_link') return `[resource ${block.uri ?? ''}]`;
  return `[${block.type}${block.mimeType ? ` ${block.mimeType}` : ''}]`;
}

/** The OpenAI function definition the model is offered. */
export function toFunctionDefinition(tool: AgentTool) {
  const summary = [tool.title, tool.description].filter(Boolean).join(': ');
  return {
    type: 'function' as const,
    function: {
      name: tool.uniqueName,
      description: summary || tool.name,
      parameters: { type: 'object', properties: {}, ...tool.inputSchema },
    },
  };
}
