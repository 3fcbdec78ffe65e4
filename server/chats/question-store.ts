/**
 * The questions servers asked people during their calls, in the database, so every tab and every
 * instance shows the same ones and any instance can take the answer. A question is open until it
 * is answered or withdrawn; the first to settle it wins.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { PendingQuestion, QuestionAnswer, QuestionOutcome } from '../../shared/questions.ts';

export interface StoredQuestion {
  question: PendingQuestion;
  answer: QuestionAnswer | null;
  outcome: QuestionOutcome | null;
}

export class QuestionStore {
  constructor(private readonly db: AppDatabase) {}

  async add(userId: string, chatId: string, question: PendingQuestion): Promise<void> {
    const { questions } = this.db.tables;
    await this.db.drizzle.insert(questions).values({
      id: question.id,
      userId,
      chatId,
      toolCallId: question.toolCallId,
      question: question as unknown as Record<string, unknown>,
    });
  }

  /** The person's question in that chat, open or settled. */
  async get(userId: string, chatId: string, id: string): Promise<StoredQuestion | undefined> {
    const { questions } = this.db.tables;
    const [row] = await this.db.drizzle
      .select()
      .from(questions)
      .where(and(eq(questions.id, id), eq(questions.userId, userId), eq(questions.chatId, chatId)));
    return row && stored(row);
  }

  /** Where the asking call waits: the answer, once there is one. */
  async settled(id: string): Promise<StoredQuestion | undefined> {
    const { questions } = this.db.tables;
    const [row] = await this.db.drizzle.select().from(questions).where(eq(questions.id, id));
    return row && stored(row);
  }

  /** Settles the question if it is still open; false when something settled it first. */
  async settle(id: string, outcome: QuestionOutcome, answer: QuestionAnswer | null): Promise<boolean> {
    const { questions } = this.db.tables;
    const rows = await this.db.drizzle
      .update(questions)
      .set({ outcome, answer: answer as Record<string, unknown> | null, settledAt: new Date() })
      .where(and(eq(questions.id, id), isNull(questions.outcome)))
      .returning({ id: questions.id });
    return rows.length > 0;
  }

  /** The chat's open questions, oldest first. */
  async open(chatId: string): Promise<PendingQuestion[]> {
    const { questions } = this.db.tables;
    const rows = await this.db.drizzle
      .select({ question: questions.question })
      .from(questions)
      .where(and(eq(questions.chatId, chatId), isNull(questions.outcome)))
      .orderBy(asc(questions.createdAt));
    return rows.map((row) => row.question as unknown as PendingQuestion);
  }
}

function stored(row: { question: unknown; answer: unknown; outcome: string | null }): StoredQuestion {
  return {
    question: row.question as PendingQuestion,
    answer: row.answer as QuestionAnswer | null,
    outcome: row.outcome as QuestionOutcome | null,
  };
}
