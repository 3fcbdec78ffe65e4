/**
 * A `db.slow` span for each checkpoint write (the database work every step of a run does) that
 * took at least OTEL_SLOW_DB_MS: the fast ones would be most of a trace and say nothing. It listens
 * to the savers' write report (db/checkpointer/write-timing.ts), as metrics/ does.
 */
import { onCheckpointWrite, type TimedWrites } from '../../db/checkpointer/write-timing.ts';
import { tracer } from './spans.ts';

export function traceSlowWrites(checkpointer: TimedWrites, slowMs: number): void {
  onCheckpointWrite(checkpointer, (operation, seconds) => {
    const ms = seconds * 1000;
    if (ms < slowMs) return;
    const end = Date.now();
    const attributes = { 'db.operation.name': `checkpoint ${operation}`, 'countersign.duration_ms': Math.round(ms) };
    tracer()
      .startSpan('db.slow', { startTime: end - ms, attributes })
      .end(end);
  });
}
