/** Tokens each answer used, summed per person, model and UTC day as answers come in; read by admins per range of days. */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';

export interface AnswerUsage {
  userId: string;
  modelId: string;
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  at: Date;
}

export interface UsageRow {
  day: string;
  user: { id: string; email: string | null; name: string | null };
  modelId: string;
  modelName: string;
  answers: number;
  inputTokens: number;
  outputTokens: number;
}

/** The UTC day of an instant, as the table keeps it (YYYY-MM-DD). */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export class UsageStore {
  constructor(private readonly db: AppDatabase) {}

  /** Adds one answer to its person's, model's and day's sums, in one statement, so concurrent answers on any instance all count. */
  async add(usage: AnswerUsage): Promise<void> {
    const { modelUsage: t } = this.db.tables;
    await this.db.drizzle
      .insert(t)
      .values({
        userId: usage.userId,
        modelId: usage.modelId,
        modelName: usage.modelName,
        day: dayOf(usage.at),
        answers: 1,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
      })
      .onConflictDoUpdate({
        target: [t.userId, t.modelId, t.day],
        set: {
          modelName: usage.modelName,
          answers: sql`${t.answers} + 1`,
          inputTokens: sql`${t.inputTokens} + ${usage.inputTokens}`,
          outputTokens: sql`${t.outputTokens} + ${usage.outputTokens}`,
        },
      });
  }

  /** Every person's, model's and day's sums from `from` to `to` (days, both included), by day, then person, then model. */
  async between(from: string, to: string): Promise<UsageRow[]> {
    const { modelUsage: t, users } = this.db.tables;
    const rows = await this.db.drizzle
      .select({ usage: t, user: { id: users.id, email: users.email, name: users.name } })
      .from(t)
      .innerJoin(users, eq(users.id, t.userId))
      .where(and(gte(t.day, from), lte(t.day, to)))
      .orderBy(asc(t.day), asc(users.email), asc(t.modelName));
    return rows.map(({ usage, user }) => ({
      day: usage.day,
      user,
      modelId: usage.modelId,
      modelName: usage.modelName,
      answers: usage.answers,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
    }));
  }
}
