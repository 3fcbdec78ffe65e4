/** The web chat once the session is known; until then, a short note (or why it failed). */
import { Match, Switch } from 'solid-js';
import { errorMessage } from '../api/errors.ts';
import { retrySession, session } from '../state/session.ts';
import { Shell } from './Shell.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function App() {
  return (
    <Switch>
      <Match when={session.error}>
        <div class="center-note" role="alert">
          <p>{t('app.couldNotStart', errorMessage(session.error))}</p>
          <button type="button" class="button" onClick={() => void retrySession()}>
            {t('common.tryAgain')}
          </button>
        </div>
      </Match>
      <Match when={session()}>{(info) => <Shell session={info()} />}</Match>
      <Match when={true}>
        <div class="center-note muted" role="status">
          {t('app.starting')}
        </div>
      </Match>
    </Switch>
  );
}
