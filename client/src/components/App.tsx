/** The web chat once the session is known; until then, a short note (or why it failed). */
import { Match, Switch } from 'solid-js';
import { errorMessage } from '../api/errors.ts';
import { retrySession, session } from '../state/session.ts';
import { Shell } from './Shell.tsx';

export function App() {
  return (
    <Switch>
      <Match when={session.error}>
        <div class="center-note" role="alert">
          <p>Countersign could not start: {errorMessage(session.error)}</p>
          <button type="button" class="button" onClick={() => void retrySession()}>
            Try again
          </button>
        </div>
      </Match>
      <Match when={session()}>{(info) => <Shell session={info()} />}</Match>
      <Match when={true}>
        <div class="center-note muted" role="status">
          Starting…
        </div>
      </Match>
    </Switch>
  );
}
