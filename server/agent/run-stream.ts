/**
 * Turns one graph run into chat events: the nodes' output arrives through the run's sink (text
 * as it is written, finished replies, tool activity) and goes straight out; the graph's own
 * stream is read only for the `updates` that carry an interrupt.
 */
import type { ApprovalDecision, ChatEvent } from '../../shared/chat-events.ts';
import { assistantDto, type PendingInterrupt } from './history.ts';
import type { ApprovalRequest } from './nodes/approval.ts';
import type { RunSink } from './nodes/runtime.ts';

export const streamMode = 'updates';

/** What operators count of runs (server/metrics/): told as it happens, and never whose run it was. */
export interface RunObserver {
  /** Every event a run's nodes send its watchers (text, tool activity). */
  event(event: ChatEvent): void;
  /** A run failed (not stopped): the error its reason was described from. */
  failed(error: unknown): void;
  /** A person's decisions on an approval, once accepted. */
  decided(decisions: readonly ApprovalDecision[]): void;
}

/**
 * The sink a run gives its nodes, writing to `emit` until `close`: a node still winding down
 * after the run ended (a tool answering its cancellation) must not speak after the run's last event.
 */
export function runSink(threadId: string, emit: (event: ChatEvent) => void): RunSink & { close(): void } {
  let open = true;
  const send = (event: ChatEvent) => {
    if (open) emit(event);
  };
  return {
    token: (messageId, delta) => send({ type: 'token', threadId, messageId, delta }),
    reply: (message, plan) => {
      const planned = new Map(plan.map((p) => [p.toolCallId, p]));
      send({ type: 'assistant_message', threadId, message: assistantDto(message, new Map(), planned) });
    },
    tool: (event) => send({ ...event, threadId }),
    close: () => {
      open = false;
    },
  };
}

/** Reads the run to its end; the approval it stopped for, if any. */
export async function runToEnd(stream: AsyncIterable<Record<string, unknown>>): Promise<PendingInterrupt | undefined> {
  let interrupted: PendingInterrupt | undefined;
  for await (const update of stream) {
    const [first] = (update.__interrupt__ ?? []) as { id: string; value: ApprovalRequest }[];
    if (first) interrupted = { id: first.id, request: first.value };
  }
  return interrupted;
}
