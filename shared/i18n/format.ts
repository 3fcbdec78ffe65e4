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

/**
 * One formatter per kind, made again only when the language changes: making one costs far more
 * than using it, and a page of chats or audit rows formats hundreds of values.
 */
function perLocale<T>(make: (tag: string) => T): () => T {
  let made: { tag: string; formatter: T } | undefined;
  return () => {
    // Read on every call, so a reactive caller still follows a change of language.
    const tag = formattingLocale();
    if (made?.tag !== tag) made = { tag, formatter: make(tag) };
    return made.formatter;
  };
}

const numbers = perLocale((tag) => new Intl.NumberFormat(tag));
const dateTimes = perLocale((tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' }));
const dateTimesWithSeconds = perLocale((tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' }));
const days = perLocale((tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' }));
const relativeTimes = perLocale((tag) => new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }));

export const formatNumber = (value: number): string => numbers().format(value);

/** A moment with its date and time, medium length: "4 Dec 2026, 21:38". */
export const formatDateTime = (moment: Date | string): string => dateTimes().format(new Date(moment));

/** With the seconds, where several events share a minute: "4 Dec 2026, 21:38:05". */
export const formatDateTimeSeconds = (moment: Date | string): string => dateTimesWithSeconds().format(new Date(moment));

/** A UTC calendar day given as YYYY-MM-DD (usage is counted by them): "4 Dec 2026". */
export const formatDay = (day: string): string => days().format(new Date(`${day}T00:00:00Z`));

/** "5 minutes ago", "yesterday", in the chosen language. */
export const formatRelative = (value: number, unit: Intl.RelativeTimeFormatUnit): string => relativeTimes().format(value, unit);
