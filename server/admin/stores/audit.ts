/** The tool-call audit log as admins read it: filtered, newest first, a bounded page at a time. */
import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../../db/database.ts';
import type { Decision } from '../../../db/schema.ts';

export interface AuditFilter {
  userId?: string | null;
  serverId?: string | null;
  tool?: string | null;
  decision?: Decision | null;
  from?: Date | null;
  to?: Date | null;
}

function conditions(toolCallAudit: Tables['toolCallAudit'], filter: AuditFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.userId) parts.push(eq(toolCallAudit.userId, filter.userId));
  if (filter.serverId) parts.push(eq(toolCallAudit.serverId, filter.serverId));
  if (filter.tool) parts.push(eq(toolCallAudit.tool, filter.tool));
  if (filter.decision) parts.push(eq(toolCallAudit.decision, filter.decision));
  if (filter.from) parts.push(gte(toolCallAudit.requestedAt, filter.from));
  if (filter.to) parts.push(lt(toolCallAudit.requestedAt, filter.to));
  return parts.length ? and(...parts) : undefined;
}

export class AdminAuditStore {
  constructor(private readonly db: AppDatabase) {}

  async list(filter: AuditFilter, limit: number, offset: number) {
    const { toolCallAudit, users } = this.db.tables;
    const where = conditions(toolCallAudit, filter);
    const rows = await this.db.drizzle
      .select({ entry: toolCallAudit, userEmail: users.email, userName: users.name })
      .from(toolCallAudit)
      .leftJoin(users, eq(users.id, toolCallAudit.userId))
      .where(where)
      .orderBy(desc(toolCallAudit.requestedAt), desc(toolCallAudit.id))
      .limit(limit)
      .offset(offset);
    const [total] = await this.db.drizzle.select({ n: count() }).from(toolCallAudit).where(where);
    const items = rows.map(({ entry, userEmail, userName }) => ({
      ...entry,
      user: entry.userId ? { id: entry.userId, email: userEmail, name: userName } : null,
    }));
    return { items, totalCount: total?.n ?? 0 };
  }
}
