/** A server's connection state as a coloured dot and a few words. */
import type { ServerDto } from '../api/types.ts';
import { t } from '../../../shared/i18n/t.ts';

const words = {
  connected: 'connection.connected',
  disconnected: 'connection.disconnected',
  unavailable: 'connection.unavailable',
  needs_sign_in: 'connection.needsSignIn',
  disabled: 'connection.disabled',
} as const satisfies Record<ServerDto['connection'], string>;

export function ConnectionState(props: { state: ServerDto['connection'] }) {
  return (
    <span class={`connection ${props.state}`}>
      <span class="status-dot" aria-hidden="true" />
      {t(words[props.state])}
    </span>
  );
}
