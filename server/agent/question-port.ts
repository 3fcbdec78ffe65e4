/**
 * The question port: how a tool call reaches its person while it runs (a server's form, link or
 * sampling request, shown in the chat). The agent declares it; server/chats/question-desk.ts implements it.
 */
import type { PendingQuestion, QuestionAnswer } from '../../shared/questions.ts';

/** Where a question appears: the person's chat. */
export interface QuestionPlace {
  userId: string;
  chatId: string;
  threadId: string;
}

/** A question before it is asked: the desk gives it its id, time and thread. */
export type Unasked<Q = PendingQuestion> = Q extends PendingQuestion ? Omit<Q, 'id' | 'askedAt' | 'threadId'> : never;

export interface QuestionDesk {
  /**
   * Shows the question in the chat and resolves with the person's answer (from any tab, through
   * any instance). Aborting the signal withdraws it and rejects with the signal's reason.
   */
  ask(place: QuestionPlace, question: Unasked, signal: AbortSignal): Promise<QuestionAnswer>;
}
