/** Opens raw WebSockets the way a browser would (cookie and Origin on the upgrade), or refuses. */
export interface WsOutcome {
  opened: boolean;
  closeCode?: number;
  socket: WebSocket;
}

export function wsUrl(httpUrl: string, path = '/trpc'): string {
  return httpUrl.replace(/^http/, 'ws') + path;
}

export function openSocket(url: string, headers: Record<string, string>): Promise<WsOutcome> {
  const socket = new WebSocket(url, { headers } as unknown as string[]);
  return new Promise((resolve) => {
    socket.onopen = () => resolve({ opened: true, socket });
    socket.onclose = (event) => resolve({ opened: false, closeCode: event.code, socket });
  });
}

export function closed(socket: WebSocket): Promise<number> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => socket.addEventListener('close', (event) => resolve(event.code)));
}
