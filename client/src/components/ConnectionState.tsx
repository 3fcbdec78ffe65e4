/** A server's connection state as a coloured dot and a few words. */
import type { ServerDto } from '../api/types.ts';

const words: Record<ServerDto['connection'], string> = {
  connected: 'Connected',
  disconnected: 'Not connected',
  unavailable: 'Unavailable',
  needs_sign_in: 'Needs you to sign in',
  disabled: 'Turned off by an administrator',
};

export function ConnectionState(props: { state: ServerDto['connection'] }) {
  return (
    <span class={`connection ${props.state}`}>
      <span class="status-dot" aria-hidden="true" />
      {words[props.state]}
    </span>
  );
}
