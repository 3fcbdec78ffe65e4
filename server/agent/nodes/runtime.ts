/** What every node gets: the compile-time dependencies, and per run the chat's context and an event writer. */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { ChatEvent } from '../../../shared/chat-events.ts';
import type { AuditLog } from '../../audit/audit-store.ts';
import type { AgentTool, ToolCaller } from '../tool-port.ts';
import type { TurnContext } from '../tool-view.ts';

/** Fixed when a person's graph is compiled: it is recompiled when their tools change. */
export interface GraphDeps {
  model: BaseChatModel;
  tools: readonly AgentTool[];
  caller: ToolCaller;
  audit: AuditLog;
}

export type NodeConfig = LangGraphRunnableConfig;

export function turnOf(config: NodeConfig): TurnContext {
  const turn = config.context as TurnContext | undefined;
  if (!turn?.threadId) throw new Error('the agent graph must be run with a TurnContext as its context');
  return turn;
}

type WithoutThread<E> = E extends { threadId: string } ? Omit<E, 'threadId'> : never;
/** Tool events as nodes write them; the run adds the thread id when it forwards them. */
export type ToolEvent = WithoutThread<Extract<ChatEvent, { type: 'tool_started' | 'tool_progress' | 'tool_finished' }>>;

/** Nodes report tool activity through LangGraph's `custom` stream, so they never see the transport. */
export function toolEventWriter(config: NodeConfig): (event: ToolEvent) => void {
  return (event) => config.writer?.(event);
}

export function runSignal(config: NodeConfig): AbortSignal {
  return config.signal ?? new AbortController().signal;
}
