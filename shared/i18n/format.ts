/**
 * Numbers and dates as the chosen language writes them. The browser's own regional variant is
 * used when it is of that language (en-GB dates for a British browser in English), else the
 * language alone.
 */
import { locale } from './locale.ts';

function formattingLocale(): string {
  const language = locale();
  return navigator.languages?.find((tag) => tag.split('-')[0]!.toLowerCase() === language) ?? language;
}

export const formatNumber = (value: number): string => new Intl.NumberFormat(formattingLocale()).format(value);

/** A moment with its date and time, medium length: "4 Dec 2026, 21:38". */
export const formatDateTime = (moment: Date | string): string =>
  new Intl.DateTimeFormat(formattingLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(moment));

/** With the seconds, where several events share a minute: "4 Dec 2026, 21:38:05". */
export const formatDateTimeSeconds = (moment: Date | string): string =>
  new Intl.DateTimeFormat(formattingLocale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(moment));

/** A UTC calendar day given as YYYY-MM-DD (usage is counted by them): "4 Dec 2026". */
export const formatDay = (day: string): string =>
  new Intl.DateTimeFormat(formattingLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** "5 minutes ago", "yesterday", in the chosen language. */
export const formatRelative = (value: number, unit: Intl.RelativeTimeFormatUnit): string =>
  new Intl.RelativeTimeFormat(formattingLocale(), { numeric: 'auto' }).format(value, unit);
