/** Says so while the live connection is down; the client reconnects and catches up on its own. */
import { Show } from 'solid-js';
import { reconnecting } from '../state/connection.ts';
import { t } from '../../../shared/i18n/t.ts';

export function ConnectionBanner() {
  return (
    <Show when={reconnecting()}>
      <div class="banner warn" role="status">
        {t('connection.lost')}
      </div>
    </Show>
  );
}
