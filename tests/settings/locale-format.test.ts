/** Numbers and dates follow the chosen language, also after it changes (the formatters are kept per language). */
import { afterAll, expect, test } from 'bun:test';
import { formatDay, formatNumber, formatRelative } from '../../shared/i18n/format.ts';
import { chooseLocale } from '../../shared/i18n/locale.ts';

afterAll(() => chooseLocale(null));

test('each value is written the way the language chosen at that moment writes it', () => {
  chooseLocale('en');
  expect([formatNumber(1234.5), formatDay('2026-12-04'), formatRelative(-1, 'day')]).toEqual(['1,234.5', 'Dec 4, 2026', 'yesterday']);
  chooseLocale('de');
  expect([formatNumber(1234.5), formatDay('2026-12-04'), formatRelative(-1, 'day')]).toEqual(['1.234,5', '04.12.2026', 'gestern']);
  chooseLocale('en');
  expect(formatNumber(1234.5)).toBe('1,234.5');
});
