/**
 * A one-node graph that answers every message, for checkpointer tests that need a real history:
 * `talk` runs turns, `conversation` is what a person sees after them, `texts` reads it back.
 */
import { z } from 'zod';
import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { END, MessagesDeltaValue, MessagesValue, START, StateGraph, StateSchema } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';

/** The agent's kind of history: a DeltaChannel, rebuilt from the writes since its last snapshot (every 100 messages). */
export const DeltaState = new StateSchema({ messages: MessagesDeltaValue, turn: z.number() });
/** A plain messages channel: LangGraph hands the saver the whole list at every step. */
export const ListState = new StateSchema({ messages: MessagesValue, turn: z.number() });

export function buildGraph(saver: BaseCheckpointSaver, schema: typeof DeltaState | typeof ListState) {
  return new StateGraph(schema)
    .addNode('reply', (state) => ({ messages: [new AIMessage({ id: `ai-${state.turn}`, content: `Reply ${state.turn}` })] }))
    .addEdge(START, 'reply')
    .addEdge('reply', END)
    .compile({ checkpointer: saver });
}

export type TalkingGraph = ReturnType<typeof buildGraph>;

/** Turns `from` to `to` of the thread: each a person's message and its reply. */
export async function talk(graph: TalkingGraph, threadId: string, from: number, to: number): Promise<void> {
  for (let turn = from; turn <= to; turn += 1) {
    await graph.invoke(
      { messages: [new HumanMessage({ id: `human-${turn}`, content: `Message ${turn}` })], turn },
      { configurable: { thread_id: threadId } },
    );
  }
}

/** What a person sees after `turns` turns. */
export function conversation(turns: number): string[] {
  return Array.from({ length: turns }, (_, i) => [`Message ${i + 1}`, `Reply ${i + 1}`]).flat();
}

export function texts(messages: BaseMessage[] | undefined): unknown[] {
  return (messages ?? []).map((message) => message.content);
}
