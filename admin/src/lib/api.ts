/** The console's client for the admin API, and the wording of its errors for people. */
import { formatDateTime, formatDateTimeSeconds } from '../../../shared/i18n/format.ts';
import { t } from '../../../shared/i18n/t.ts';
import { AdminRequestError, createAdminClient } from '../api/client.ts';

export const api = createAdminClient();

/** What to show for a failed request: the server's message, plus the error id to quote when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof AdminRequestError) {
    if (error.code === 'UNAUTHENTICATED') return t('console.errors.sessionEnded');
    return error.errors.map((e) => e.message).join(' ');
  }
  if (error instanceof TypeError) return t('console.errors.unreachable');
  return error instanceof Error ? error.message : String(error);
}

/** `precise` adds the seconds, where several events share a minute. */
export function formatTime(iso: string | null | undefined, precise = false): string {
  if (!iso) return '—';
  return precise ? formatDateTimeSeconds(iso) : formatDateTime(iso);
}
