/**
 * Whether the live connection (the WebSocket) is up, for the "Reconnecting…" notice. When it
 * drops, one HTTP call tells a network problem (keep retrying) from an ended session (the server
 * refuses the socket for good): then the person is sent to sign in again.
 */
import { createSignal } from 'solid-js';
import { api, wsClient } from '../api/client.ts';
import { goToSignIn, isSignedOut } from '../api/errors.ts';

const PROBE_INTERVAL_MS = 2_000;
const [reconnecting, setReconnecting] = createSignal(false);
let wasConnected = false;
let lastProbe = 0;

wsClient.connectionState.subscribe({
  next(state) {
    if (state.state === 'pending') wasConnected = true;
    // 'connecting' also covers the very first connect, which is not worth a notice.
    const down = wasConnected && state.state === 'connecting';
    setReconnecting(down);
    if (down && Date.now() - lastProbe > PROBE_INTERVAL_MS) {
      lastProbe = Date.now();
      api.auth.me.query().catch((error: unknown) => {
        if (isSignedOut(error)) goToSignIn();
      });
    }
  },
});

export { reconnecting };
