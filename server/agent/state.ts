/**
 * The graph's state, kept per thread by the checkpointer. Everything an approval needs is in
 * here (not in memory), so a pending approval survives a restart and looks the same afterwards.
 */
import { MessagesDeltaValue, StateSchema } from '@langchain/langgraph';
import { z } from 'zod';
import type { ApprovalDecision, DecidedBy, ToolAnnotations } from '../../shared/chat-events.ts';

/** What the agent knew about a tool when the model proposed a call to it. */
export interface ToolSnapshot {
  serverId: string;
  serverName: string;
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  inputSchema: Record<string, unknown>;
}

/** How one proposed call will be handled, decided when the model proposed it. */
export interface PlannedCall {
  toolCallId: string;
  uniqueName: string;
  arguments: Record<string, unknown>;
  /**
   * auto: runs without asking; ask: a person decides; denied: not a tool this chat offers;
   * repeated: identical to a call the person rejected earlier in this turn. The last two never run.
   */
  disposition: 'auto' | 'ask' | 'denied' | 'repeated';
  reason: string;
  /** Absent when the model called a tool it was not offered. */
  tool?: ToolSnapshot;
  /** Decided and tried, and its server wants the person to sign in first: it waits, and runs once they have. */
  awaitingSignIn?: boolean;
}

/** The resume value of an approval: a person's decision on every asked call. */
export interface ApprovalResume {
  decidedBy: Extract<DecidedBy, { kind: 'person' }>;
  decidedAt: string;
  byCall: Record<string, ApprovalDecision>;
}

/** A call the person rejected in the current turn; an identical proposal is refused without asking. */
export interface RejectedCall {
  uniqueName: string;
  argumentsKey: string;
  reason: string;
}

/** A channel that keeps the last value written; `z.custom` because these are our own shapes, not input. */
const lastValue = <T>(fallback: () => NonNullable<T> | T) => z.custom<T>().default(fallback as () => never);

/**
 * Messages are a delta channel: each checkpoint stores the step's new messages, not the whole
 * history again, so a long chat's storage grows with its length rather than its square.
 */
export const AgentState = new StateSchema({
  messages: MessagesDeltaValue,
  plan: lastValue<PlannedCall[]>(() => []),
  proposedAt: lastValue<string | null>(() => null),
  decisions: lastValue<ApprovalResume | null>(() => null),
  rejectedThisTurn: lastValue<RejectedCall[]>(() => []),
});

export type AgentStateValue = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;

/**
 * The id of the assistant message a node writes, derived from the node's task: the token stream
 * can name the message before it exists, and a re-run of the same task writes the same id.
 */
export function messageIdForTask(checkpointNamespace: unknown): string {
  const task =
    String(checkpointNamespace ?? '')
      .split(':')
      .at(-1) || crypto.randomUUID();
  return `msg_${task}`;
}
