/**
 * The roots an admin lets people offer a server (MCP `roots`), as the catalogue checks them, and
 * what is offered of them. A root is a file:// URI naming an absolute path: MCP 2025-11-25 says a
 * root MUST be a file:// URI, and both SDK lines refuse any other, so one such root would break the
 * server's whole `roots/list`. Each is kept in the normal form the URL parser gives it, so one
 * folder has one spelling and a chat's choice matches the admin's list exactly.
 */
import { z } from 'zod';
import type { AllowedRoot } from '../../db/schema.ts';
import { LIMITS } from '../../shared/limits.ts';

/** A root as MCP's `roots/list` answers with it. */
export interface OfferedRoot {
  uri: string;
  name?: string;
}

/** What is wrong with a root's URI, or undefined when it may be allowed. */
function uriProblem(uri: string): string | undefined {
  if (uri.length > LIMITS.rootUri) return `is longer than ${LIMITS.rootUri.toLocaleString('en-US')} characters`;
  // Checked on the text as given: the URL parser drops a file URL's user name rather than refusing it.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(uri)) return 'must not hold a user name or password';
  if (!/^file:\/\/[^/?#]*\//.test(uri)) return 'must be a file:// URI with an absolute path, such as file:///srv/projects';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not a valid URI';
  }
  if (url.search || url.hash) return 'must name a place only, without a ?query or #fragment';
  if (url.href !== uri) return `must be written in its normal form, ${url.href}`;
  return undefined;
}

export const allowedRootsSchema = z
  .array(z.object({ uri: z.string(), name: z.string().nullish() }))
  .max(LIMITS.rootsPerServer, `at most ${LIMITS.rootsPerServer} roots`)
  .superRefine((roots, ctx) => {
    const seen = new Set<string>();
    for (const { uri, name } of roots) {
      const shown = uri.length > 200 ? `"${uri.slice(0, 200)}…"` : `"${uri}"`;
      const problem = uriProblem(uri);
      if (problem) ctx.addIssue({ code: 'custom', message: `${shown} ${problem}` });
      if (seen.has(uri)) ctx.addIssue({ code: 'custom', message: `${shown} is listed twice` });
      seen.add(uri);
      if (name && name.trim().length > LIMITS.rootName)
        ctx.addIssue({ code: 'custom', message: `the name of ${shown} is longer than ${LIMITS.rootName} characters` });
    }
  })
  // A blank name is no name: the server then shows the URI.
  .transform((roots): AllowedRoot[] => roots.map(({ uri, name }) => (name?.trim() ? { uri, name: name.trim() } : { uri })));

/** The allowed roots among `chosen`, in the admin's order: a choice the admin no longer allows is not offered. */
export function offeredRoots(allowed: readonly AllowedRoot[], chosen: ReadonlySet<string>): OfferedRoot[] {
  return allowed.filter((root) => chosen.has(root.uri)).map(({ uri, name }) => (name ? { uri, name } : { uri }));
}
