/** What every node gets: the compile-time dependencies, and per run the chat's context and where its output goes. */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { ChatEvent } from '../../../shared/chat-events.ts';
import type { AuditLog } from '../../audit/audit-store.ts';
import type { FileReader } from '../file-port.ts';
import type { QuestionDesk } from '../question-port.ts';
import type { PlannedCall } from '../state.ts';
import type { AgentTool, ToolCaller } from '../tool-port.ts';
import type { TurnContext } from '../tool-view.ts';

/** Fixed when a person's graph is compiled: it is recompiled when their tools change. */
export interface GraphDeps {
  model: BaseChatModel;
  tools: readonly AgentTool[];
  caller: ToolCaller;
  audit: AuditLog;
  /** Where what servers ask during a call reaches the person. */
  questions: QuestionDesk;
  /** The chat's model with its reply capped, for servers' sampling requests. */
  samplingModel: (maxTokens: number) => BaseChatModel;
  /** Where the files attached to messages are read for each request; without it, a message only names its files. */
  files?: FileReader;
}

export type NodeConfig = LangGraphRunnableConfig;

type WithoutThread<E> = E extends { threadId: string } ? Omit<E, 'threadId'> : never;
/** Tool events as nodes write them; the run adds the thread id. */
export type ToolEvent = WithoutThread<Extract<ChatEvent, { type: 'tool_started' | 'tool_progress' | 'tool_finished' }>>;

/**
 * Where nodes send what a person watches, the moment it happens: text as the model writes it,
 * the finished reply, tool activity. Called directly, in the order the nodes do things, not
 * through LangGraph's `messages` or `custom` stream modes, which cost CPU per chunk and per call.
 */
export interface RunSink {
  /** A piece of the text of the reply `messageId`, as the model writes it. */
  token(messageId: string, delta: string): void;
  /** A node's finished reply, with the plan for its tool calls. */
  reply(message: AIMessage, plan: readonly PlannedCall[]): void;
  tool(event: ToolEvent): void;
}

/**
 * The graph's `context` for one run. A type, not an interface: LangGraph's context parameter
 * wants an index-signature-compatible type.
 */
export type RunContext = { turn: TurnContext; sink: RunSink; signal?: AbortSignal };

function runContextOf(config: NodeConfig): RunContext {
  const context = config.context as RunContext | undefined;
  if (!context?.turn?.threadId) throw new Error('the agent graph must be run with a RunContext as its context');
  return context;
}

export function turnOf(config: NodeConfig): TurnContext {
  return runContextOf(config).turn;
}

export function sinkOf(config: NodeConfig): RunSink {
  return runContextOf(config).sink;
}

/**
 * What stops the run's work (the model's request, tool calls, questions). It comes in the
 * context, not as LangGraph's own `signal`: with that, LangGraph's stream rejects the moment it
 * aborts while the step winds down and its checkpoints are still being written, and what a stop
 * keeps (agent/stopped.ts) must be written after them. Here the step fails, and the run ends once
 * its checkpoints are written.
 */
export function runSignal(config: NodeConfig): AbortSignal {
  return runContextOf(config).signal ?? config.signal ?? new AbortController().signal;
}
