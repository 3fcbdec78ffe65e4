/** An authorisation server's refusal, in the words people read: "the authorisation server refused: invalid_scope (…)". */
import type { OAuthError } from '@modelcontextprotocol/client';

export function refusedBy(error: OAuthError): string {
  const detail = error.message && error.message !== error.code ? ` (${error.message})` : '';
  return `the authorisation server refused: ${error.code}${detail}`;
}
