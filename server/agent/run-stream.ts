/**
 * Translates one graph run's stream into chat events: token deltas (LangGraph's `messages`
 * mode), complete assistant messages and interrupts (`updates`), and tool activity the tools
 * node writes (`custom`).
 */
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatEvent } from '../../shared/chat-events.ts';
import { assistantDto, type PendingInterrupt } from './history.ts';
import type { ApprovalRequest } from './nodes/approval.ts';
import type { ToolEvent } from './nodes/runtime.ts';
import { messageIdForTask, type PlannedCall } from './state.ts';

export const streamModes = ['messages', 'updates', 'custom'] as const;
type StreamChunk = [(typeof streamModes)[number], unknown];

/** Nodes whose model output a person reads; other nodes' messages (tool results) are not tokens. */
const writers = new Set(['llm', 'humane']);

export async function forwardRun(
  stream: AsyncIterable<StreamChunk>,
  threadId: string,
  emit: (event: ChatEvent) => void,
): Promise<PendingInterrupt | undefined> {
  let interrupted: PendingInterrupt | undefined;
  for await (const [mode, data] of stream) {
    if (mode === 'messages') {
      const [chunk, meta] = data as [BaseMessage, Record<string, unknown>];
      if (!AIMessageChunk.isInstance(chunk) || !writers.has(String(meta.langgraph_node))) continue;
      const delta = chunk.text;
      if (delta) emit({ type: 'token', threadId, messageId: messageIdForTask(meta.langgraph_checkpoint_ns), delta });
    } else if (mode === 'custom') {
      emit({ ...(data as ToolEvent), threadId });
    } else {
      for (const [node, update] of Object.entries(data as Record<string, unknown>)) {
        if (node === '__interrupt__') {
          const [first] = update as { id: string; value: ApprovalRequest }[];
          if (first) interrupted = { id: first.id, request: first.value };
        } else if (writers.has(node)) {
          const { messages = [], plan = [] } = (update ?? {}) as { messages?: BaseMessage[]; plan?: PlannedCall[] };
          const message = messages.filter((m) => AIMessage.isInstance(m)).at(-1);
          if (message) {
            const planned = new Map(plan.map((p) => [p.toolCallId, p]));
            emit({ type: 'assistant_message', threadId, message: assistantDto(message, new Map(), planned) });
          }
        }
      }
    }
  }
  return interrupted;
}
