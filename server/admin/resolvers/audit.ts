/** The tool-call audit log, filtered and paged, and where to download it whole. */
import { type ExportFormat, exportUrl } from '../audit-export/query.ts';
import { invalidInput } from '../errors.ts';
import { type AuditFilter, auditFilterProblems } from '../stores/audit.ts';
import { type AdminDeps, page } from './deps.ts';

function checked(filter: AuditFilter | null | undefined): AuditFilter {
  const [problem] = filter ? auditFilterProblems(filter, 'filter.') : [];
  if (problem) throw invalidInput(problem.path, problem.message);
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
