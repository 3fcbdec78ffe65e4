/** How long ago an ISO time was, in words of the chosen language: "just now", "5 minutes ago", "yesterday". */
import { formatRelative } from '../../../shared/i18n/format.ts';
import { t } from '../../../shared/i18n/t.ts';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function timeAgo(iso: string, now = Date.now()): string {
  const elapsed = Math.max(0, now - Date.parse(iso));
  for (const [unit, ms] of UNITS) if (elapsed >= ms) return formatRelative(-Math.floor(elapsed / ms), unit);
  return t('time.justNow');
}
