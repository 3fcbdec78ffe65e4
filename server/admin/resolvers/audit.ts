/** The tool-call audit log, filtered and paged, and where to download it whole. */
import { type ExportFormat, exportUrl } from '../audit-export/query.ts';
import { invalidInput } from '../errors.ts';
import type { AuditFilter } from '../stores/audit.ts';
import { type AdminDeps, page } from './deps.ts';

function checked(filter: AuditFilter | null | undefined): AuditFilter {
  if (filter?.from && filter.to && filter.from >= filter.to) throw invalidInput('filter.to', 'must be after filter.from');
  if (filter?.tool && filter.tool.length > 128) throw invalidInput('filter.tool', 'must be at most 128 characters');
  return filter ?? {};
}

export function auditResolvers({ audit }: AdminDeps) {
  return {
    Query: {
      auditLog: async (_: unknown, args: { filter?: AuditFilter | null; limit?: number | null; offset?: number | null }) => {
        const { limit, offset } = page(args.limit, args.offset, 50);
        return { ...(await audit.list(checked(args.filter), limit, offset)), limit, offset };
      },
      auditExport: (_: unknown, args: { filter?: AuditFilter | null; format: ExportFormat }) => ({
        url: exportUrl(checked(args.filter), args.format),
        format: args.format,
      }),
    },
  };
}
