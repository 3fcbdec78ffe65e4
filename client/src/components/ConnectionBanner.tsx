/** Says so while the live connection is down; the client reconnects and catches up on its own. */
import { Show } from 'solid-js';
import { reconnecting } from '../state/connection.ts';

export function ConnectionBanner() {
  return (
    <Show when={reconnecting()}>
      <div class="banner warn" role="status">
        Connection lost. Reconnecting… Nothing is lost: the chat catches up when it is back.
      </div>
    </Show>
  );
}
