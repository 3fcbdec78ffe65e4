/**
 * The tool-call audit log: one row per tool call the model proposed, with the decision, who made
 * it, and what happened when it ran.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { AppDatabase, Tables } from '../../db/database.ts';
import type { Decision } from '../../db/schema.ts';

export type AuditRow = Tables['toolCallAudit']['$inferSelect'];
export type AuditOutcome = NonNullable<AuditRow['outcome']>;

export interface AuditDecision {
  userId: string;
  chatId: string;
  serverId: string | null;
  serverName: string;
  tool: string;
  toolCallId: string;
  arguments: unknown;
  decision: Decision;
  /** A user id, or 'policy' when no person was asked. */
  decidedBy: string;
  reason: string | null;
  requestedAt: Date;
  decidedAt: Date;
}

/** What the agent needs of the audit log; the tests' and the production store share it. */
export interface AuditLog {
  recordDecision(entry: AuditDecision): Promise<void>;
  /**
   * Marks the call as started; false when it had already started. Checked before every run,
   * so a call runs at most once even if its step is replayed after a crash.
   */
  claimStart(toolCallId: string, at: Date): Promise<boolean>;
  recordFinish(toolCallId: string, finish: { outcome: AuditOutcome; error: string | null; at: Date }): Promise<void>;
  /**
   * For a call found started when its step runs again: the server stopped while it ran, so it never
   * finished. Marked `interrupted`, unless it had recorded how it ended before the server stopped.
   */
  recordInterrupted(toolCallId: string): Promise<void>;
  /**
   * The call was refused before it reached the tool (its server wants the person to sign in): it
   * did not start after all, and may be claimed again once they have.
   */
  releaseStart(toolCallId: string): Promise<void>;
}

export class AuditStore implements AuditLog {
  constructor(private readonly db: AppDatabase) {}

  async recordDecision(entry: AuditDecision): Promise<void> {
    // The first decision recorded for a call stands: a replayed step must not rewrite history.
    const { toolCallAudit } = this.db.tables;
    await this.db.drizzle
      .insert(toolCallAudit)
      .values({ id: crypto.randomUUID(), ...entry })
      .onConflictDoNothing({ target: toolCallAudit.toolCallId });
  }

  async claimStart(toolCallId: string, at: Date): Promise<boolean> {
    const { toolCallAudit } = this.db.tables;
    // One conditional update: on either database exactly one concurrent claim finds startedAt still empty.
    const claimed = await this.db.drizzle
      .update(toolCallAudit)
      .set({ startedAt: at })
      .where(and(eq(toolCallAudit.toolCallId, toolCallId), isNull(toolCallAudit.startedAt)))
      .returning({ id: toolCallAudit.id });
    return claimed.length === 1;
  }

  async recordFinish(toolCallId: string, finish: { outcome: AuditOutcome; error: string | null; at: Date }): Promise<void> {
    const { toolCallAudit } = this.db.tables;
    await this.db.drizzle
      .update(toolCallAudit)
      .set({ outcome: finish.outcome, error: finish.error, finishedAt: finish.at })
      .where(eq(toolCallAudit.toolCallId, toolCallId));
  }

  async recordInterrupted(toolCallId: string): Promise<void> {
    const { toolCallAudit } = this.db.tables;
    await this.db.drizzle
      .update(toolCallAudit)
      .set({ outcome: 'interrupted', error: 'the server stopped while this call ran; whether it took effect is unknown' })
      .where(and(eq(toolCallAudit.toolCallId, toolCallId), isNull(toolCallAudit.outcome)));
  }

  async releaseStart(toolCallId: string): Promise<void> {
    const { toolCallAudit } = this.db.tables;
    await this.db.drizzle
      .update(toolCallAudit)
      .set({ startedAt: null })
      .where(and(eq(toolCallAudit.toolCallId, toolCallId), isNull(toolCallAudit.outcome)));
  }

  async listForChat(chatId: string): Promise<AuditRow[]> {
    const { toolCallAudit } = this.db.tables;
    return this.db.drizzle
      .select()
      .from(toolCallAudit)
      .where(eq(toolCallAudit.chatId, chatId))
      .orderBy(asc(toolCallAudit.requestedAt), asc(toolCallAudit.toolCallId));
  }
}
