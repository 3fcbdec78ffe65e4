/**
 * The web chat's language: the person's choice (kept on their account, and on this device so the
 * next page starts in it), or else the first of the browser's languages the web chat has a
 * catalogue for, or else English. <html lang> follows it, for screen readers and hyphenation.
 */
import { createRoot, createSignal, createEffect } from 'solid-js';
import { LOCALES, type Locale } from '../settings.ts';

/** Also read by client/public/theme-before-paint.js, which sets <html lang> before the app loads. */
const LOCALE_KEY = 'countersign.locale';

const isLocale = (tag: string | null): tag is Locale => LOCALES.some((locale) => locale === tag);

function remembered(): Locale | null {
  try {
    const tag = localStorage.getItem(LOCALE_KEY);
    return isLocale(tag) ? tag : null;
  } catch {
    return null;
  }
}

function browserLocale(): Locale {
  // Outside a browser (the client's logic under test in Bun) there are no languages: English.
  for (const tag of navigator.languages ?? []) {
    const language = tag.split('-')[0]!.toLowerCase();
    if (isLocale(language)) return language;
  }
  return 'en';
}

const [chosen, setChosen] = createSignal<Locale | null>(remembered());

/** The language the page is shown in now. */
export const locale = (): Locale => chosen() ?? browserLocale();

export function chooseLocale(choice: Locale | null): void {
  setChosen(choice);
  try {
    if (choice) localStorage.setItem(LOCALE_KEY, choice);
    else localStorage.removeItem(LOCALE_KEY);
  } catch {
    // Storage blocked: the choice still holds on this page, and the server keeps it for the next.
  }
}

createRoot(() => {
  createEffect(() => {
    document.documentElement.lang = locale();
  });
});
