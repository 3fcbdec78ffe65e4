/**
 * Servers the open chat uses that are not connected: their tools are missing until they are.
 * Those waiting for the person's sign-in have their own banner, with the link (SignInBanner).
 */
import { For, Show } from 'solid-js';
import { servers } from '../state/servers.ts';

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
          {down().length === 1 ? 'is' : 'are'} not connected: {down().length === 1 ? 'its' : 'their'} tools are unavailable in this chat.
        </span>
        <button type="button" class="link-button" onClick={() => props.onOpenServers()}>
          Open tools
        </button>
      </div>
    </Show>
  );
}
