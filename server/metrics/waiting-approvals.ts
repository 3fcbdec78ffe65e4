/** How many chats wait for a person's approval: the inbox's column, counted over everyone's live chats. */
import { and, count, isNotNull, isNull } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';

export async function countWaitingApprovals(db: AppDatabase): Promise<number> {
  const { chats } = db.tables;
  const [row] = await db.drizzle
    .select({ waiting: count() })
    .from(chats)
    .where(and(isNull(chats.deletedAt), isNotNull(chats.waitingApproval)));
  return row?.waiting ?? 0;
}
