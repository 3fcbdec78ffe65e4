/**
 * Where questions from servers meet people. `ask` (on the instance running the call) records the
 * question, shows it in the chat, and waits; `answer` (on whichever instance the person reached)
 * checks the answer against the question, settles it, and wakes the asker through the control
 * channel. A question whose call ends first is withdrawn, and every tab sees it go.
 */
import { z } from 'zod';
import type { ChatEvent } from '../../shared/chat-events.ts';
import { checkElicitationContent } from '../../shared/elicitation-form.ts';
import type { PendingQuestion, QuestionAnswer, QuestionOutcome } from '../../shared/questions.ts';
import type { QuestionDesk, QuestionPlace, Unasked } from '../agent/question-port.ts';
import type { EventHub } from './event-hub.ts';
import { type ControlChannel, controlTopic } from '../cluster/control-channel.ts';
import { DomainError } from '../domain-error.ts';
import type { QuestionStore } from './question-store.ts';

/** A question was settled (answered or withdrawn): the instance whose call asked it reads the answer. */
const settledTopic = controlTopic('question-settled', z.object({ questionId: z.string() }));

const OUTCOME: Record<QuestionAnswer['action'], QuestionOutcome> = {
  accept: 'accepted',
  decline: 'declined',
  cancel: 'cancelled',
  approve: 'approved',
  reject: 'rejected',
};

export class Questions implements QuestionDesk {
  /** The calls of this instance waiting for an answer, by question id. */
  readonly #waiting = new Map<string, () => void>();

  constructor(
    private readonly store: QuestionStore,
    private readonly hub: EventHub<ChatEvent>,
    private readonly control: ControlChannel,
  ) {
    control.on(settledTopic, ({ questionId }) => this.#waiting.get(questionId)?.());
    // Messages published while the channel was down were lost: every waiting call looks again.
    control.onResubscribed(() => {
      for (const wake of this.#waiting.values()) wake();
    });
  }

  async ask(place: QuestionPlace, unasked: Unasked, signal: AbortSignal): Promise<QuestionAnswer> {
    signal.throwIfAborted();
    const question = {
      ...unasked,
      id: crypto.randomUUID(),
      threadId: place.threadId,
      askedAt: new Date().toISOString(),
    } as PendingQuestion;
    await this.store.add(place.userId, place.chatId, question);
    this.hub.publish(place.chatId, { type: 'question_asked', threadId: place.threadId, question });
    try {
      return await this.#answerTo(question.id, signal);
    } catch (error) {
      await this.#withdraw(place.chatId, question);
      throw error;
    }
  }

  /**
   * The person's answer to an open question of their chat; refused when it does not fit the
   * question, or when its call is no longer `asking` (an instance that died leaves it open).
   */
  async answer(userId: string, chatId: string, questionId: string, answer: QuestionAnswer, asking: () => Promise<boolean>): Promise<void> {
    const stored = await this.store.get(userId, chatId, questionId);
    if (!stored) throw new DomainError('not_found', 'No such question in this chat.');
    if (stored.outcome) throw new DomainError('conflict', `This question is no longer waiting: it was ${stored.outcome}.`);
    if (!(await asking())) throw new DomainError('conflict', 'This question is no longer waiting: the call that asked it has ended.');
    const problem = mismatch(stored.question, answer);
    if (problem) throw new DomainError('invalid', problem);
    const outcome = OUTCOME[answer.action];
    if (!(await this.store.settle(questionId, outcome, answer))) {
      throw new DomainError('conflict', 'This question was settled a moment ago, in another tab or by its call ending.');
    }
    this.hub.publish(chatId, { type: 'question_settled', threadId: stored.question.threadId, questionId, outcome });
    await this.control.publish(settledTopic, { questionId });
  }

  /** The chat's open questions, oldest first. */
  open(chatId: string): Promise<PendingQuestion[]> {
    return this.store.open(chatId);
  }

  /**
   * Withdraws what a run that is no longer going left open (its instance died): called as a chat's
   * next run starts, since a chat has one run at a time. Every tab sees them go.
   */
  async withdrawLeftOpen(chatId: string): Promise<void> {
    for (const question of await this.store.open(chatId)) await this.#withdraw(chatId, question);
  }

  /** Withdraws the question if it is still open, and every tab sees it go. */
  async #withdraw(chatId: string, question: PendingQuestion): Promise<void> {
    if (await this.store.settle(question.id, 'withdrawn', null)) {
      this.hub.publish(chatId, { type: 'question_settled', threadId: question.threadId, questionId: question.id, outcome: 'withdrawn' });
    }
  }

  #answerTo(questionId: string, signal: AbortSignal): Promise<QuestionAnswer> {
    return new Promise<QuestionAnswer>((resolve, reject) => {
      const done = () => {
        this.#waiting.delete(questionId);
        signal.removeEventListener('abort', aborted);
      };
      const aborted = () => {
        done();
        reject(signal.reason);
      };
      const look = () => {
        this.store.settled(questionId).then((stored) => {
          if (!stored?.outcome || !this.#waiting.has(questionId)) return;
          done();
          // Withdrawn elsewhere (its chat deleted, say): the call is told nobody answered.
          resolve(stored.answer ?? { action: 'cancel' });
        }, reject);
      };
      this.#waiting.set(questionId, look);
      signal.addEventListener('abort', aborted, { once: true });
      // Answered between being recorded and being waited for.
      look();
    });
  }
}

/** Why an answer does not fit its question, or undefined when it does. */
function mismatch(question: PendingQuestion, answer: QuestionAnswer): string | undefined {
  if (question.kind === 'sampling') {
    return answer.action === 'approve' || answer.action === 'reject' ? undefined : 'A sampling request is approved or rejected.';
  }
  if (answer.action === 'approve' || answer.action === 'reject') return 'A request for input is accepted, declined or cancelled.';
  if (answer.action !== 'accept') return undefined;
  if (question.mode === 'url') return answer.content ? 'A link is accepted without values.' : undefined;
  const problems = checkElicitationContent(question.requestedSchema, answer.content ?? {});
  return problems.length > 0 ? `The answer does not fit the form: ${problems.join(' ')}` : undefined;
}
