/**
 * The person's settings: the theme and language of the web chat and console, and their custom
 * instructions, which the model reads in every chat of theirs. One Save keeps all three.
 */
import { createResource, createSignal, For, Match, Switch } from 'solid-js';
import { LOCALES, type Locale, THEME_CHOICES, type ThemeChoice } from '../../../shared/settings.ts';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { LANGUAGE_NAMES } from '../../../shared/i18n/language-names.ts';
import { t } from '../../../shared/i18n/t.ts';
import { saveLocale, saveTheme } from '../state/settings.ts';
import { Dialog } from './Dialog.tsx';
import { InstructionsDialog } from './InstructionsDialog.tsx';

const themeNames = { system: 'settings.themeSystem', light: 'settings.themeLight', dark: 'settings.themeDark' } as const;

/** The select's value for "follow the browser", which the API calls null. */
const BROWSER = '';

export function SettingsDialog(props: { onClose: () => void }) {
  const [settings] = createResource(() => api.settings.get.query());
  return (
    <Switch>
      <Match when={settings.error}>
        <Dialog title={t('settings.title')} onClose={props.onClose}>
          <p class="form-error" role="alert">
            {errorMessage(settings.error)}
          </p>
          <div class="dialog-actions">
            <button type="button" class="button" onClick={() => props.onClose()}>
              {t('common.close')}
            </button>
          </div>
        </Dialog>
      </Match>
      <Match when={settings()}>
        {(loaded) => {
          const [theme, setTheme] = createSignal<ThemeChoice>(loaded().theme);
          const [locale, setLocale] = createSignal<Locale | null>(loaded().locale);
          // Only what changed is written, so a Save that changed the theme alone leaves the rest as it is.
          const save = async (customInstructions: string) => {
            if (customInstructions !== loaded().customInstructions) await api.settings.setInstructions.mutate({ customInstructions });
            if (theme() !== loaded().theme) await saveTheme(theme());
            if (locale() !== loaded().locale) await saveLocale(locale());
          };
          return (
            <InstructionsDialog
              title={t('settings.title')}
              label={t('settings.instructions')}
              hint={t('settings.instructionsHint')}
              text={loaded().customInstructions}
              onSave={save}
              onClose={props.onClose}
            >
              <label class="field">
                <span class="field-label">{t('settings.theme')}</span>
                <select class="input" onChange={(e) => setTheme(e.currentTarget.value as ThemeChoice)}>
                  <For each={THEME_CHOICES}>
                    {(choice) => (
                      <option value={choice} selected={choice === theme()}>
                        {t(themeNames[choice])}
                      </option>
                    )}
                  </For>
                </select>
              </label>
              <label class="field">
                <span class="field-label">{t('settings.language')}</span>
                <select class="input" onChange={(e) => setLocale((e.currentTarget.value || null) as Locale | null)}>
                  <option value={BROWSER} selected={locale() === null}>
                    {t('settings.languageBrowser')}
                  </option>
                  {/* Each language in its own words, so a person who cannot read the current one still finds theirs. */}
                  <For each={LOCALES}>
                    {(choice) => (
                      <option value={choice} lang={choice} selected={choice === locale()}>
                        {LANGUAGE_NAMES[choice]}
                      </option>
                    )}
                  </For>
                </select>
              </label>
            </InstructionsDialog>
          );
        }}
      </Match>
    </Switch>
  );
}
