/**
 * The export's address: the format and the Audit page's filters as query parameters. `parse`
 * reads them (every refusal a sentence naming the parameter), `exportUrl` writes them, so what the
 * GraphQL field hands out is exactly what the route accepts.
 */
import { z } from 'zod';
import type { Decision } from '../../../db/schema.ts';
import { type AuditFilter, auditFilterProblems } from '../stores/audit.ts';

export const AUDIT_EXPORT_PATH = '/admin/audit/export';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const DECISIONS = ['approved', 'edited', 'rejected', 'auto', 'denied'] as const satisfies readonly Decision[];
const FILTERS = ['userId', 'serverId', 'tool', 'decision', 'from', 'to'] as const satisfies readonly (keyof AuditFilter)[];
const PARAMETERS = ['format', ...FILTERS];

const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 instant such as 2026-01-31T12:00:00Z' })
  .transform((value) => new Date(value));
const id = z.string().max(200, { error: 'must be at most 200 characters' });

const exportQuery = z
  .strictObject(
    {
      format: z.enum(EXPORT_FORMATS, { error: 'must be csv or jsonl' }),
      userId: id.optional(),
      serverId: id.optional(),
      tool: z.string().optional(),
      decision: z
        .string()
        .transform((value) => value.toLowerCase())
        .pipe(z.enum(DECISIONS, { error: `must be one of ${DECISIONS.join(', ')}` }))
        .optional(),
      from: instant.optional(),
      to: instant.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `${issue.keys.join(', ')} is not one of ${PARAMETERS.join(', ')}` : undefined,
    },
  )
  .check((context) => {
    for (const { path, message } of auditFilterProblems(context.value))
      context.issues.push({ code: 'custom', input: context.value, path: [path], message });
  });

export type ExportRequest = { format: ExportFormat; filter: AuditFilter } | { refused: string };

export function parseExportQuery(params: URLSearchParams): ExportRequest {
  const repeated = [...new Set(params.keys())].filter((key) => params.getAll(key).length > 1);
  if (repeated.length) return { refused: `Give each parameter once: ${repeated.join(', ')} came more than once.` };
  // An empty value is a filter left open, as a form sends it.
  const given = Object.fromEntries([...params].filter(([, value]) => value.trim() !== ''));
  if (!given.format) return { refused: 'Say which format to export: add format=csv or format=jsonl.' };
  const parsed = exportQuery.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'parameters'}: ${issue.message}`);
    return { refused: `The audit export cannot start: ${problems.join('; ')}.` };
  }
  const { format, ...filter } = parsed.data;
  return { format, filter };
}

/** The route's address (relative) for these filters. */
export function exportUrl(filter: AuditFilter, format: ExportFormat): string {
  const params = new URLSearchParams({ format });
  for (const key of FILTERS) {
    const value = filter[key];
    if (value) params.set(key, value instanceof Date ? value.toISOString() : value);
  }
  return `${AUDIT_EXPORT_PATH}?${params}`;
}
