/** What went wrong with an authorisation server, in the words people read. */
import type { OAuthError } from '@modelcontextprotocol/client';
import { z } from 'zod';

/** "the authorisation server refused: invalid_scope (…)". */
export function refusedBy(error: OAuthError): string {
  const detail = error.message && error.message !== error.code ? ` (${error.message})` : '';
  return `the authorisation server refused: ${error.code}${detail}`;
}

/**
 * Metadata the SDK refused to use (a `javascript:` endpoint, a missing field), one problem per
 * field instead of the validator's JSON: "authorization endpoint: URL cannot use javascript:…".
 */
export function metadataRefused(error: unknown): string | undefined {
  if (!(error instanceof z.ZodError)) return undefined;
  const problems = error.issues.map((issue) => `${issue.path.map(String).join(' ').replaceAll('_', ' ') || 'metadata'}: ${issue.message}`);
  return `its authorisation server's metadata was refused: ${problems.join('; ')}`;
}
