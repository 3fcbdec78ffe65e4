/**
 * A file's size for people, in the units the server's sentences use (binary, as the limits are):
 * "3.2 MB", "64 KB", "12 bytes", the number as the chosen language writes it.
 */
import { formatNumber } from '../../../shared/i18n/format.ts';
import { t } from '../../../shared/i18n/t.ts';

const KB = 1024;
const MB = KB * 1024;

export function formatFileSize(bytes: number): string {
  if (bytes >= MB) return `${formatNumber(Math.round((bytes / MB) * 10) / 10)} MB`;
  if (bytes >= KB) return `${formatNumber(Math.round(bytes / KB))} KB`;
  return t('files.bytes', formatNumber(bytes));
}
