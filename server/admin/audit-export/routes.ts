/**
 * GET /admin/audit/export: the audit log, filtered as on the console's Audit page, as a CSV or
 * JSON Lines download streamed from the database. Admins only, by session or API token, as the
 * GraphQL API authorises; each export is logged with who asked for what, and how it ended.
 */
import { Elysia } from 'elysia';
import type { AuthService } from '../../auth/auth-service.ts';
import type { Logger } from '../../log.ts';
import { isAdmin, NOT_ADMIN, NOT_SIGNED_IN } from '../guard.ts';
import { AUDIT_EXPORT_PATH, type ExportFormat, parseExportQuery } from './query.ts';
import { type AuditPages, auditExportStream } from './stream.ts';

export interface AuditExportDeps {
  auth: AuthService;
  audit: AuditPages;
  log: Logger;
}

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson' };

/** An instant in a file name: no colons, which some systems refuse there. */
const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '');

function refusal(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function auditExportRoute({ auth, audit, log }: AuditExportDeps) {
  const exportLog = log.child({ feature: 'audit-export' });
  const exportAudit = async (request: Request): Promise<Response> => {
    const user = await auth.authenticate(request);
    if (!user) return refusal(401, NOT_SIGNED_IN, { 'www-authenticate': 'Bearer' });
    if (!isAdmin({ user })) return refusal(403, NOT_ADMIN);
    const asked = parseExportQuery(new URL(request.url).searchParams);
    if ('refused' in asked) return refusal(400, asked.refused);
    const { format } = asked;
    // Open-ended exports end now: rows recorded while it streams belong to the next one.
    const filter = { ...asked.filter, to: asked.filter.to ?? new Date() };
    exportLog.info('audit export', { by: user.id, format, filter });
    const body = auditExportStream(audit, filter, format, {
      onEnd: (end) =>
        end.ended === 'failed'
          ? exportLog.error('audit export failed', { by: user.id, rows: end.rows, error: end.error })
          : exportLog.info('audit export ended', { by: user.id, rows: end.rows, ended: end.ended }),
    });
    const name = `countersign-audit-${filter.from ? stamp(filter.from) : 'start'}-${stamp(filter.to)}.${format}`;
    return new Response(body, {
      headers: {
        'content-type': CONTENT_TYPES[format],
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  };
  return new Elysia({ name: 'admin-audit-export' }).get(AUDIT_EXPORT_PATH, ({ request }) => exportAudit(request));
}
