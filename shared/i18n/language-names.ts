/** Each language the web chat speaks, named in itself: never translated, so anyone finds their own. */
import type { Locale } from '../settings.ts';

export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };
