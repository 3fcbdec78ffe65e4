/**
 * One audit entry as an export writes it: who (the chat's person, who decided), when, what (server,
 * tool, arguments), why (the reason) and how it ended. CSV and JSON Lines carry the same fields
 * under the same names, in this order.
 */
import { csvLine } from '../csv.ts';
import type { AuditEntry } from '../stores/audit.ts';
import type { ExportFormat } from './query.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function record(entry: AuditEntry) {
  return {
    requested_at: iso(entry.requestedAt),
    decided_at: iso(entry.decidedAt),
    started_at: iso(entry.startedAt),
    finished_at: iso(entry.finishedAt),
    user_email: entry.user?.email ?? null,
    user_name: entry.user?.name ?? null,
    user_id: entry.userId,
    chat_id: entry.chatId,
    server_name: entry.serverName,
    server_id: entry.serverId,
    tool: entry.tool,
    tool_call_id: entry.toolCallId,
    decision: entry.decision,
    /** A person's id, or "policy" when nobody was asked. */
    decided_by: entry.decidedBy,
    reason: entry.reason,
    outcome: entry.outcome,
    error: entry.error,
    arguments: entry.arguments ?? null,
  };
}

type ExportRecord = ReturnType<typeof record>;

const COLUMNS = [
  'requested_at',
  'decided_at',
  'started_at',
  'finished_at',
  'user_email',
  'user_name',
  'user_id',
  'chat_id',
  'server_name',
  'server_id',
  'tool',
  'tool_call_id',
  'decision',
  'decided_by',
  'reason',
  'outcome',
  'error',
  'arguments',
] as const satisfies readonly (keyof ExportRecord)[];

/** What comes before the first entry: CSV's header row; JSON Lines has none. */
export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? csvLine(COLUMNS) : '';
}

/** The entries as lines of the format. */
export function exportLines(format: ExportFormat, entries: readonly AuditEntry[]): string {
  const records = entries.map(record);
  if (format === 'jsonl') return records.map((r) => `${JSON.stringify(r)}\n`).join('');
  // In CSV the arguments stay JSON, inside one cell.
  return records
    .map((r) => {
      const cells = { ...r, arguments: r.arguments === null ? null : JSON.stringify(r.arguments) };
      return csvLine(COLUMNS.map((column) => cells[column]));
    })
    .join('');
}
