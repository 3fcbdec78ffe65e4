/**
 * One catalogue server: connect or disconnect it, sign in to it, use it in this chat or not, choose
 * the folders it may see in this chat, and see its tools.
 */
import { Match, Show, Switch } from 'solid-js';
import type { ServerDto } from '../api/types.ts';
import { servers } from '../state/servers.ts';
import { ConnectionState } from './ConnectionState.tsx';
import { ServerRoots } from './ServerRoots.tsx';
import { ServerToolList } from './ServerToolList.tsx';
import { SignInLink } from './SignInLink.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ServerCard(props: {
  server: ServerDto;
  /** Whether the open (or new) chat uses this server. */
  inUse: boolean;
  /** The switch's label: where the server's tools are used (this chat, or new chats). */
  useLabel: string;
  onConnect: () => void;
  onDisconnect: () => void;
  onUse: (on: boolean) => void;
  /** The folders the open chat lets the server see; absent with no chat open (a new chat has chosen none yet). */
  roots?: { chosen: readonly string[]; onChange: (uris: string[]) => Promise<void> };
}) {
  const server = () => props.server;
  const busy = () => servers.busy[server().id] ?? false;
  const connected = () => server().connection === 'connected';
  return (
    <li class="server-card" aria-label={server().name}>
      <div class="server-head">
        <div>
          <h3 class="server-name">{server().name}</h3>
          <ConnectionState state={server().connection} />
          <span class="muted small-text"> · {server().transport}</span>
        </div>
        <Switch
          fallback={
            <button
              type="button"
              class="button primary"
              disabled={busy() || server().connection === 'disabled'}
              onClick={() => props.onConnect()}
            >
              {busy() ? t('servers.connecting') : server().connection === 'unavailable' ? t('common.tryAgain') : t('servers.connect')}
            </button>
          }
        >
          <Match when={connected()}>
            <button type="button" class="button" disabled={busy()} onClick={() => props.onDisconnect()}>
              {t('servers.disconnect')}
            </button>
          </Match>
          {/* Connected by the person, waiting for their sign-in: signing in is the way on; disconnecting, the way out. */}
          <Match when={server().connection === 'needs_sign_in'}>
            <div class="server-actions">
              <SignInLink serverId={server().id} serverName={server().name} />
              <button type="button" class="button" disabled={busy()} onClick={() => props.onDisconnect()}>
                {t('servers.disconnect')}
              </button>
            </div>
          </Match>
        </Switch>
      </div>
      <Show when={server().description}>
        <p class="server-description">{server().description}</p>
      </Show>
      <Show when={servers.actionErrors[server().id] ?? server().error}>
        {(message) => (
          <p class="form-error" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <Show when={connected() || props.inUse}>
        <label class="switch">
          {/* biome-ignore lint/a11y/useAriaPropsForRole: a native checkbox exposes its own checked state to the switch role; ARIA in HTML forbids aria-checked on it, since the two could disagree. */}
          <input type="checkbox" role="switch" checked={props.inUse} onChange={(e) => props.onUse(e.currentTarget.checked)} />
          <span>{props.useLabel}</span>
        </label>
      </Show>
      <Show when={server().roots.length > 0 && props.roots}>
        {(roots) => <ServerRoots server={server()} chosen={roots().chosen} onChange={roots().onChange} />}
      </Show>
      <Show when={connected() && server().tools.length > 0}>
        <details class="server-tools">
          <summary>{t('servers.tools', server().tools.length)}</summary>
          <ServerToolList tools={server().tools} />
        </details>
      </Show>
    </li>
  );
}
