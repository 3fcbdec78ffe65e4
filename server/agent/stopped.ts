/**
 * What a run the person stopped leaves in the checkpoint, so that it survives a reload and a
 * restart: the answer as far as it was written, marked stopped, and every tool call of the step
 * that had no result yet answered as cancelled (or not run, if it had not started), which is
 * also what the model reads of them later. The graph itself drops a step's writes when its run is
 * aborted; the run's events (`RunProgress`) still hold what the person saw.
 */
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatEvent, ToolCallCard } from '../../shared/chat-events.ts';
import { proposedCard } from './cards.ts';
import { notRunText, stoppedText } from './prompts.ts';
import type { AgentStateUpdate, AgentStateValue } from './state.ts';

const STOPPED_KEY = 'countersign_stopped';

/**
 * An abort reason that says whether the person stopped the run and so wants what it wrote kept.
 * A deleted chat keeps nothing (its thread is going), a run whose chat another instance took over
 * must write nothing more, and a shutdown leaves the run cut off, for Retry to finish.
 */
export interface StopReason {
  keepsAnswer: boolean;
}

export function keepsAnswer(reason: unknown): boolean {
  return (reason as Partial<StopReason> | undefined)?.keepsAnswer === true;
}

/** Watches a run's events for what a stop must keep: the text written so far, and each call's latest card. */
export class RunProgress {
  #partial: { messageId: string; text: string } | undefined;
  readonly #cards = new Map<string, ToolCallCard>();

  see(event: ChatEvent): void {
    if (event.type === 'token') {
      const same = this.#partial?.messageId === event.messageId;
      this.#partial = { messageId: event.messageId, text: (same ? this.#partial!.text : '') + event.delta };
    } else if (event.type === 'assistant_message') {
      this.#partial = undefined;
    } else if (event.type === 'tool_started' || event.type === 'tool_finished') {
      this.#cards.set(event.toolCallId, event.card);
    }
  }

  get partial() {
    return this.#partial;
  }

  card(toolCallId: string): ToolCallCard | undefined {
    return this.#cards.get(toolCallId);
  }
}

export function isStopped(message: AIMessage): boolean {
  return message.response_metadata?.[STOPPED_KEY] === true;
}

/** A call's card once it has its answer: nothing more will come of it. */
const SETTLED: readonly ToolCallCard['status'][] = ['succeeded', 'failed', 'cancelled', 'rejected', 'denied', 'not_run'];

/**
 * The update a stop writes, as the node it stands for (its edges decide what is next): an answer
 * being written as `llm`'s output with no calls, so the turn ends; otherwise as `humane`'s, whose
 * edge is to the end: the calls being settled get their results, and the model is not asked to go
 * on. An answer of which nothing was written yet leaves nothing. Undefined when the run stopped
 * between steps with nothing lost (an approval, the end).
 */
export function stoppedUpdate(
  next: readonly string[],
  values: AgentStateValue,
  progress: RunProgress,
  /** Which model wrote the answer (answered-by.ts), kept on the stopped answer as on a finished one. */
  answeredBy: Record<string, unknown> = {},
): { messages: BaseMessage[]; update: AgentStateUpdate; asNode: 'llm' | 'humane' } | undefined {
  if (!['llm', 'tools', 'humane'].some((node) => next.includes(node))) return undefined;
  // `llm` plans no calls until it has finished; `tools` and `humane` settle the plan first.
  const results = next.includes('llm') ? [] : closedCalls(values, progress);
  const { partial } = progress;
  const answer = partial && !next.includes('tools') ? [stoppedAnswer(partial, answeredBy)] : [];
  const messages = [...results, ...answer];
  const asNode = next.includes('llm') && answer.length > 0 ? 'llm' : 'humane';
  return { messages, update: { messages, plan: [], decisions: null, proposedAt: null }, asNode };
}

/** The answer as far as it was written, marked stopped. */
function stoppedAnswer(partial: { messageId: string; text: string }, answeredBy: Record<string, unknown>): AIMessage {
  return new AIMessage({ id: partial.messageId, content: partial.text, response_metadata: { ...answeredBy, [STOPPED_KEY]: true } });
}

/** A result for every planned call that has none in the checkpoint yet: the one the person saw, or cancelled, or not run. */
function closedCalls(values: AgentStateValue, progress: RunProgress): ToolMessage[] {
  const answered = new Set(values.messages.filter((m) => ToolMessage.isInstance(m)).map((m) => m.tool_call_id));
  return values.plan
    .filter((planned) => !answered.has(planned.toolCallId))
    .map((planned) => {
      const seen = progress.card(planned.toolCallId);
      // A call that answered before the run let go (ran, was cancelled, or was rejected): as the person saw it.
      if (seen && SETTLED.includes(seen.status)) return resultOf(planned.toolCallId, seen);
      const card: ToolCallCard = seen
        ? { ...seen, status: 'cancelled', result: stoppedText }
        : { ...proposedCard(planned), status: 'not_run', result: notRunText('stopped') };
      return new ToolMessage({ tool_call_id: planned.toolCallId, content: card.result ?? '', status: 'error', artifact: { card } });
    });
}

/** A call that finished, or answered its cancellation, before the stop: its result is kept as the person saw it. */
function resultOf(toolCallId: string, card: ToolCallCard): ToolMessage {
  return new ToolMessage({
    tool_call_id: toolCallId,
    content: card.result ?? '',
    status: card.status === 'succeeded' ? 'success' : 'error',
    artifact: { card },
  });
}
