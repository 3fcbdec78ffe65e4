/**
 * `t('area.key', …args)`: the text of a catalogue key in the page's language. Reactive: called
 * in JSX or an effect, it follows a change of language without a reload. A key's value that is a
 * function (a count, a name to put in) is called with the arguments.
 */
import { flatten, translator } from '@solid-primitives/i18n';
import type { Locale } from '../settings.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { locale } from './locale.ts';

const catalogues = { en: flatten(en), de: flatten(de) } satisfies Record<Locale, unknown>;

export const t = translator(() => catalogues[locale()]);
