/**
 * Badges are 12 px text, so WCAG AA asks 4.5:1 between their text and their background, in the
 * light and the dark theme. The colours are read from shared/styles/tokens.css, the one palette
 * the chat and the console share; the green once gave 4.42:1.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const css = readFileSync(resolve(import.meta.dir, '../../shared/styles/tokens.css'), 'utf8');

/** Each colour token's value in one theme: the light or dark half of its `light-dark(#light, #dark)`. */
function tokens(half: 1 | 2): Record<string, string> {
  return Object.fromEntries(
    [...css.matchAll(/(--[\w-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\);/gi)].map((match) => [match[1]!, match[1 + half]!]),
  );
}
const themes = { light: tokens(1), dark: tokens(2) };

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (lighter! + 0.05) / (darker! + 0.05);
}

/** Each badge's text and background tokens, as client/src/styles/base.css and the console's pair them. */
const badges = {
  neutral: ['--text-muted', '--bg-sunken'],
  ok: ['--ok', '--ok-soft'],
  danger: ['--danger', '--danger-soft'],
  warn: ['--warn', '--warn-soft'],
  info: ['--info', '--info-soft'],
} as const;

describe('badge text contrast', () => {
  for (const [theme, palette] of Object.entries(themes)) {
    test(`reaches 4.5:1 for every badge in the ${theme} theme`, () => {
      const ratios = Object.entries(badges).map(([badge, [text, background]]) => ({
        badge,
        ratio: contrast(palette[text]!, palette[background]!),
      }));
      // Named with their ratio when they fail, so the message says which colour to darken.
      expect(ratios.filter(({ ratio }) => !(ratio >= 4.5))).toEqual([]);
    });
  }
});
