/**
 * The page's theme: the person's choice as <html data-theme="light|dark">, which overrides the
 * system's in shared/styles/tokens.css; "system" removes it. Remembered on this device too, so
 * client/public/theme-before-paint.js applies it before the next page's first paint.
 */
import type { ThemeChoice } from '../settings.ts';

/** Also read by client/public/theme-before-paint.js. */
const THEME_KEY = 'countersign.theme';

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Storage blocked: this page still shows the choice; the next one waits for the server's.
  }
}
