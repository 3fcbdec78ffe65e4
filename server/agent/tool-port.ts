/**
 * The tool port: what the agent needs from whoever lists and runs a person's tools. The agent
 * declares it; server/mcp/ implements it (`McpTool extends AgentTool`, `MCPHandler implements
 * ToolCaller`) and imports nothing else from server/agent/. So nothing here knows about MCP
 * clients or transports, and server/mcp/ knows nothing about LangChain.
 */
import type { ToolAnnotations } from '../../shared/chat-events.ts';
import type { ElicitationValue } from '../../shared/elicitation-defaults.ts';
import type { ElicitationSchema, SamplingMessageView, SamplingQuestion } from '../../shared/questions.ts';

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
  /**
   * Made by the implementation, not listed by the server: reading the server's resources through the
   * person's own connection, as the person may themselves. It runs without asking unless an admin set a policy for it.
   */
  synthetic?: true;
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
  /** Who answers what the server asks while the call runs; absent, the server is told nobody can. */
  questions?: PersonQuestions;
}

/**
 * Whether the server holds the call open while the person answers (a 2025 request), or holds
 * nothing (a 2026 `input_required` round, or a 2025 refusal until a link is opened): then nothing
 * of the call has run yet, and it may be made again from the start.
 */
interface AskedDuring {
  roundTrip: boolean;
}

/** A server's request for input during a call: a form to fill in, or a link to open. */
export type ElicitationRequest = AskedDuring &
  ({ mode: 'form'; message: string; requestedSchema: ElicitationSchema } | { mode: 'url'; message: string; url: string });

export type ElicitationReply =
  | { action: 'accept'; content?: Record<string, ElicitationValue> }
  | { action: 'decline' }
  | { action: 'cancel' };

/** A server's request to use the chat's model, as the admin's policy for that server allows it. */
export interface SamplingRequest extends AskedDuring {
  messages: SamplingMessageView[];
  systemPrompt?: string;
  modelPreferences?: SamplingQuestion['modelPreferences'];
  /** Already the smaller of what the server asked and the admin's cap. */
  maxTokens: number;
  stopSequences?: string[];
  /** 'ask': the person approves the request and then the reply; 'allowed': it runs without asking. */
  policy: 'ask' | 'allowed';
}

export type SamplingReply = { action: 'sent'; text: string; model: string; stopReason?: string } | { action: 'rejected'; reason: string };

/** The person behind one call, as the server may reach them; the call's chat decides where questions appear. */
export interface PersonQuestions {
  /** The chat the call runs in: the roots a server is shown are this chat's. */
  chatId: string;
  elicit(request: ElicitationRequest, signal: AbortSignal): Promise<ElicitationReply>;
  sample(request: SamplingRequest, signal: AbortSignal): Promise<SamplingReply>;
}

/** Calls a person's tools by unique name. */
export interface ToolCaller {
  callTool(uniqueName: string, args: Record<string, unknown>, options: ToolCallOptions): Promise<ToolCallResult>;
}
