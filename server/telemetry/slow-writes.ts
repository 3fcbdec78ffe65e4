/**
 * A `db.slow` span for each checkpoint write (the database work every step of a run does) that
 * took at least OTEL_SLOW_DB_MS: the fast ones would be most of a trace and say nothing. It hooks
 * the savers' write report that metrics/ also uses, keeping the hook already there.
 */
import { tracer } from './spans.ts';

type Operation = 'put' | 'put_writes';

export function traceSlowWrites(checkpointer: { onWrite?: (operation: Operation, seconds: number) => void }, slowMs: number): void {
  const earlier = checkpointer.onWrite;
  checkpointer.onWrite = (operation, seconds) => {
    earlier?.(operation, seconds);
    const ms = seconds * 1000;
    if (ms < slowMs) return;
    const end = Date.now();
    const attributes = { 'db.operation.name': `checkpoint ${operation}`, 'countersign.duration_ms': Math.round(ms) };
    tracer()
      .startSpan('db.slow', { startTime: end - ms, attributes })
      .end(end);
  };
}
