/** The tool-call audit log, filtered and paged. */
import type { AuditFilter } from '../stores/audit.ts';
import { invalidInput } from '../errors.ts';
import { type AdminDeps, page } from './deps.ts';

export function auditResolvers({ audit }: AdminDeps) {
  return {
    Query: {
      auditLog: async (_: unknown, args: { filter?: AuditFilter | null; limit?: number | null; offset?: number | null }) => {
        const { limit, offset } = page(args.limit, args.offset, 50);
        const filter = args.filter ?? {};
        if (filter.from && filter.to && filter.from >= filter.to) throw invalidInput('filter.to', 'must be after filter.from');
        if (filter.tool && filter.tool.length > 128) throw invalidInput('filter.tool', 'must be at most 128 characters');
        return { ...(await audit.list(filter, limit, offset)), limit, offset };
      },
    },
  };
}
