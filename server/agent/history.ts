/**
 * A thread's checkpoint state as plain DTOs: the messages, each tool call as a card (with who
 * decided), and the pending approval if any. Read from the checkpoint, so it survives a restart.
 */
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { StateSnapshot } from '@langchain/langgraph';
import { INTERRUPT, type CheckpointTuple } from '@langchain/langgraph-checkpoint';
import type { ChatMessageDto, PendingApproval, ToolCallCard } from '../../shared/chat-events.ts';
import { answeredBy } from './answered-by.ts';
import { proposedCard } from './cards.ts';
import { isStopped } from './stopped.ts';
import type { ApprovalRequest } from './nodes/approval.ts';
import type { AgentStateValue, PlannedCall } from './state.ts';
import { userMessageDto } from './user-message.ts';

export interface PendingInterrupt {
  id: string;
  request: ApprovalRequest;
}

export function pendingInterrupt(snapshot: StateSnapshot): PendingInterrupt | undefined {
  for (const task of snapshot.tasks) {
    for (const pending of task.interrupts) {
      if (pending.id) return { id: pending.id, request: pending.value as ApprovalRequest };
    }
  }
  return undefined;
}

export function pendingApprovalOf(threadId: string, pending: PendingInterrupt): PendingApproval {
  return { threadId, interruptId: pending.id, ...pending.request };
}

/**
 * Whether the checkpoint holds an interrupt nobody has answered: the same test as
 * `pendingInterrupt(graph.getState())`, whose task interrupts are exactly these pending writes of
 * the latest checkpoint. Reading them from the tuple skips what getState adds: rebuilding every
 * channel (the messages delta channel replays its writes back to the last snapshot, up to 100
 * steps) and planning the next tasks. That was the costliest part of starting a turn.
 */
export function hasPendingInterrupt(tuple: CheckpointTuple | undefined): boolean {
  return (tuple?.pendingWrites ?? []).some(
    ([, channel, value]) =>
      channel === INTERRUPT && Array.isArray(value) && value.some((pending) => Boolean((pending as { id?: unknown })?.id)),
  );
}

/** The error a failed step left in the checkpoint, if the last run failed. */
export function failedStepError(snapshot: StateSnapshot): string | undefined {
  const failed = snapshot.tasks.find((task) => task.error !== undefined && task.error !== null);
  if (!failed) return undefined;
  const error = failed.error as { message?: unknown };
  return typeof error.message === 'string' ? error.message : String(failed.error);
}

export function messagesOf(values: Partial<AgentStateValue>): ChatMessageDto[] {
  const messages = values.messages ?? [];
  const cards = new Map<string, ToolCallCard>();
  for (const message of messages) {
    const card = ToolMessage.isInstance(message) ? (message.artifact as { card?: ToolCallCard } | undefined)?.card : undefined;
    if (card) cards.set(card.toolCallId, card);
  }
  const planned = new Map((values.plan ?? []).map((p) => [p.toolCallId, p]));
  return messages.flatMap((message) => toDto(message, cards, planned));
}

function toDto(message: BaseMessage, cards: Map<string, ToolCallCard>, planned: Map<string, PlannedCall>): ChatMessageDto[] {
  const id = message.id ?? '';
  if (HumanMessage.isInstance(message)) return [userMessageDto(message)];
  if (ToolMessage.isInstance(message)) {
    return [{ role: 'tool', id, toolCallId: message.tool_call_id, text: message.text, isError: message.status === 'error' }];
  }
  if (AIMessage.isInstance(message)) return [assistantDto(message, cards, planned)];
  return [];
}

export function assistantDto(
  message: AIMessage,
  cards: Map<string, ToolCallCard>,
  planned: Map<string, PlannedCall>,
): Extract<ChatMessageDto, { role: 'assistant' }> {
  const toolCalls = (message.tool_calls ?? []).map((call): ToolCallCard => {
    const id = call.id ?? '';
    const settled = cards.get(id);
    if (settled) return settled;
    const plan = planned.get(id);
    if (plan) return proposedCard(plan);
    // A call of an earlier run that stopped before it settled.
    return {
      toolCallId: id,
      tool: { serverId: null, serverName: '', uniqueName: call.name, name: call.name, title: call.name },
      arguments: call.args,
      status: 'not_run',
    };
  });
  // The model the endpoint says wrote it (OpenAI's `model` field, which @langchain/openai keeps as model_name).
  const model = message.response_metadata?.model_name;
  const writer = answeredBy(message);
  const dto = {
    role: 'assistant' as const,
    id: message.id ?? '',
    text: message.text,
    toolCalls,
    ...(typeof model === 'string' && model && { model }),
    ...(writer && { modelId: writer.id, modelName: writer.name }),
  };
  return isStopped(message) ? { ...dto, stopped: true } : dto;
}
