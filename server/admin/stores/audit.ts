/** The tool-call audit log as admins read it: filtered, newest first, a bounded page at a time. */
import { and, asc, count, desc, eq, gt, gte, lt, or, type SQL } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../../db/database.ts';
import type { Decision } from '../../../db/schema.ts';
import type { AuditRow } from '../../audit/audit-store.ts';

export interface AuditFilter {
  userId?: string | null;
  serverId?: string | null;
  tool?: string | null;
  decision?: Decision | null;
  from?: Date | null;
  to?: Date | null;
}

/** A tool's name as a filter: as long as one may be (MCP's limit). */
const MAX_TOOL_CHARS = 128;

/**
 * What is wrong with a filter, the same for the Audit page's list and its export; field names
 * carry `prefix` (`filter.` in GraphQL, nothing in the export's query parameters).
 */
export function auditFilterProblems(filter: AuditFilter, prefix = ''): { path: string; message: string }[] {
  const problems = [];
  if (filter.tool && filter.tool.length > MAX_TOOL_CHARS)
    problems.push({ path: `${prefix}tool`, message: `must be at most ${MAX_TOOL_CHARS} characters` });
  if (filter.from && filter.to && filter.from >= filter.to) problems.push({ path: `${prefix}to`, message: `must be after ${prefix}from` });
  return problems;
}

/** An audit row with the person whose chat it was, as they are named now. */
export type AuditEntry = AuditRow & { user: { id: string; email: string | null; name: string | null } | null };

/** Where an export page ends: the next page starts after this row, in (requestedAt, id) order. */
export interface AuditCursor {
  requestedAt: Date;
  id: string;
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
    const { toolCallAudit } = this.db.tables;
    const where = conditions(toolCallAudit, filter);
    const items = await this.entries(where).orderBy(desc(toolCallAudit.requestedAt), desc(toolCallAudit.id)).limit(limit).offset(offset);
    const [total] = await this.db.drizzle.select({ n: count() }).from(toolCallAudit).where(where);
    return { items: items.map(withUser), totalCount: total?.n ?? 0 };
  }

  /**
   * One page of an export, oldest first, starting after `after`: a keyset read, so every page
   * costs an index seek however deep into the log it is, where an offset would scan past all before it.
   */
  async pageAfter(filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditEntry[]> {
    const { toolCallAudit: audit } = this.db.tables;
    const later = after
      ? or(gt(audit.requestedAt, after.requestedAt), and(eq(audit.requestedAt, after.requestedAt), gt(audit.id, after.id)))
      : undefined;
    const rows = await this.entries(and(conditions(audit, filter), later))
      .orderBy(asc(audit.requestedAt), asc(audit.id))
      .limit(limit);
    return rows.map(withUser);
  }

  private entries(where: SQL | undefined) {
    const { toolCallAudit, users } = this.db.tables;
    return this.db.drizzle
      .select({ entry: toolCallAudit, userEmail: users.email, userName: users.name })
      .from(toolCallAudit)
      .leftJoin(users, eq(users.id, toolCallAudit.userId))
      .where(where)
      .$dynamic();
  }
}

function withUser({ entry, userEmail, userName }: { entry: AuditRow; userEmail: string | null; userName: string | null }): AuditEntry {
  return { ...entry, user: entry.userId ? { id: entry.userId, email: userEmail, name: userName } : null };
}
