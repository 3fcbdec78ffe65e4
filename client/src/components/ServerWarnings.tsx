/**
 * Servers the open chat uses that are not connected: their tools are missing until they are.
 * Those waiting for the person's sign-in have their own banner, with the link (SignInBanner).
 */
import { For, Show } from 'solid-js';
import { servers } from '../state/servers.ts';
import { t } from '../../../shared/i18n/t.ts';

export function ServerWarnings(props: { enabledServers: string[]; onOpenServers: () => void }) {
  const down = () =>
    servers.items.filter(
      (server) => props.enabledServers.includes(server.id) && server.connection !== 'connected' && server.connection !== 'needs_sign_in',
    );
  return (
    <Show when={down().length > 0}>
      <div class="banner warn" role="status">
        <span>
          <For each={down()}>
            {(server, i) => (
              <>
                {i() > 0 ? ', ' : ''}
                <strong>{server.name}</strong>
              </>
            )}
          </For>{' '}
          {t('servers.down', down().length)}
        </span>
        <button type="button" class="link-button" onClick={() => props.onOpenServers()}>
          {t('servers.openTools')}
        </button>
      </div>
    </Show>
  );
}
