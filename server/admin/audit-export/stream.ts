/**
 * The export as a byte stream that reads the log one page at a time, and only when its reader
 * asks for more (pull): a slow download holds one page in memory, never the whole log, and a
 * reader that goes away (cancel) stops the reads.
 */
import type { AuditCursor, AuditEntry, AuditFilter } from '../stores/audit.ts';
import { exportHeader, exportLines } from './records.ts';
import type { ExportFormat } from './query.ts';

/** What the export reads: the store's keyset pages, oldest first. */
export interface AuditPages {
  pageAfter(filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditEntry[]>;
}

const EXPORT_PAGE_SIZE = 500;

export type ExportEnd = { rows: number } & ({ ended: 'complete' | 'cancelled' } | { ended: 'failed'; error: unknown });

export interface ExportStreamOptions {
  pageSize?: number;
  /** Called once, however the export ends. */
  onEnd?: (end: ExportEnd) => void;
}

export function auditExportStream(
  pages: AuditPages,
  filter: AuditFilter,
  format: ExportFormat,
  { pageSize = EXPORT_PAGE_SIZE, onEnd = () => {} }: ExportStreamOptions = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: AuditCursor | null = null;
  let rows = 0;
  let ended = false;
  const end = (how: ExportEnd) => {
    if (ended) return;
    ended = true;
    onEnd(how);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let page: AuditEntry[];
        try {
          page = await pages.pageAfter(filter, after, pageSize);
        } catch (error) {
          end({ rows, ended: 'failed', error });
          throw error;
        }
        // The reader left while this page was read: nothing more goes out, and nothing is read.
        if (ended) return;
        const text = (after === null ? exportHeader(format) : '') + exportLines(format, page);
        const last = page.at(-1);
        if (last) after = { requestedAt: last.requestedAt, id: last.id };
        rows += page.length;
        if (text) controller.enqueue(encoder.encode(text));
        if (page.length < pageSize) {
          controller.close();
          end({ rows, ended: 'complete' });
        }
      },
      cancel() {
        end({ rows, ended: 'cancelled' });
      },
    },
    // One chunk (one page) waits for the reader at most.
    new CountQueuingStrategy({ highWaterMark: 1 }),
  );
}
