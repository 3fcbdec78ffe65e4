/**
 * A `db.slow` span for each piece of database work that took at least OTEL_SLOW_DB_MS: a
 * checkpoint write (the work every step of a run does, a transaction of its own) and each
 * statement the stores send (its own transaction: none of them opens a longer one). The fast ones
 * would be most of a trace and say nothing. Both are reported by the database side
 * (db/checkpointer/write-timing.ts, db/statement-timing.ts), which metrics/ listens to as well.
 */
import type { Attributes } from '@opentelemetry/api';
import { onCheckpointWrite, type TimedWrites } from '../../db/checkpointer/write-timing.ts';
import type { AppDatabase } from '../../db/database.ts';
import { onStatement } from '../../db/statement-timing.ts';
import { tracer } from './spans.ts';

/** A statement's text, enough of it to recognise (placeholders stand for its values). */
const MAX_STATEMENT_CHARS = 1000;

export function traceSlowDatabaseWork(checkpointer: TimedWrites, db: AppDatabase, slowMs: number): void {
  const span = (seconds: number, attributes: Attributes) => {
    const ms = seconds * 1000;
    if (ms < slowMs) return;
    const end = Date.now();
    tracer()
      .startSpan('db.slow', { startTime: end - ms, attributes: { ...attributes, 'countersign.duration_ms': Math.round(ms) } })
      .end(end);
  };
  onCheckpointWrite(checkpointer, (operation, seconds) => span(seconds, { 'db.operation.name': `checkpoint ${operation}` }));
  const system = db.kind === 'postgres' ? 'postgresql' : 'sqlite';
  onStatement(db.statements, (statement, seconds) =>
    span(seconds, {
      'db.system.name': system,
      'db.operation.name': statement.slice(0, statement.indexOf(' ')).toUpperCase(),
      'db.query.text': statement.slice(0, MAX_STATEMENT_CHARS),
    }),
  );
}
