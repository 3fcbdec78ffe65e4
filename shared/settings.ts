/** A person's own settings, as `settings.get` returns them, and the choices the web chat and console offer. */
/** How the web chat and console look: as the system does (no override), or always light or dark. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
// Declared here, not in db/schema.ts: the typed client's declarations must not reach drizzle's types.
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** The languages the web chat has a complete catalogue for; English is the source of truth. */
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

export interface SettingsDto {
  /** What the person tells the model about themselves and how to answer, in every chat of theirs; empty when nothing. */
  customInstructions: string;
  theme: ThemeChoice;
  /** The language the person chose; null follows the browser's. */
  locale: Locale | null;
}
