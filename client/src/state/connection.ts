/** Whether the live connection (the WebSocket) is up, for the "Reconnecting…" notice. */
import { createSignal } from 'solid-js';
import { wsClient } from '../api/client.ts';

const [reconnecting, setReconnecting] = createSignal(false);
let wasConnected = false;

wsClient.connectionState.subscribe({
  next(state) {
    if (state.state === 'pending') wasConnected = true;
    // 'connecting' also covers the very first connect, which is not worth a notice.
    setReconnecting(wasConnected && state.state === 'connecting');
  },
});

export { reconnecting };
