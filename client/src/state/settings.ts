/**
 * The person's theme and language from their account: applied once the page knows them (this
 * device's last choice showed meanwhile), and saved to the account when they choose another, so
 * every device and the admin console follow.
 */
import type { Locale, SettingsDto, ThemeChoice } from '../../../shared/settings.ts';
import { api } from '../api/client.ts';
import { chooseLocale } from '../../../shared/i18n/locale.ts';
import { applyTheme } from '../../../shared/styles/theme.ts';

function apply(settings: SettingsDto): void {
  applyTheme(settings.theme);
  chooseLocale(settings.locale);
}

/** Failing, the page keeps this device's last choice: nothing the person needs to act on. */
export async function loadAppearance(): Promise<void> {
  try {
    apply(await api.settings.get.query());
  } catch {
    // The session check and the person's stream say when the server is unreachable or they signed out.
  }
}

export async function saveTheme(theme: ThemeChoice): Promise<void> {
  apply(await api.settings.setTheme.mutate({ theme }));
}

export async function saveLocale(locale: Locale | null): Promise<void> {
  apply(await api.settings.setLocale.mutate({ locale }));
}
