/**
 * tRPC's WebSocket protocol spoken frame by frame, for tests that count what one socket is sent:
 * calls and subscriptions by id, every reply kept, and the close code once it closes.
 */
import { openSocket, wsUrl } from './ws.ts';

export interface Frame {
  id: number | string | null;
  result?: { type: 'started' | 'stopped' | 'data'; id?: string; data?: unknown };
  error?: { message: string; code: number; data?: { code?: string } };
}

export class TrpcSocket {
  readonly frames: Frame[] = [];
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  #waiters: { match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.addEventListener('message', ({ data }) => {
      // tRPC's keep-alive, answered as its client does, so a socket left idle stays open.
      if (data === 'PING') return socket.send('PONG');
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) => socket.addEventListener('close', (event) => resolve(event.code)));
  }

  /**
   * Opens a socket signed in by a session cookie (with Origin, as the app's own page does: `origin`,
   * the load balancer's address when `appUrl` is one instance behind it), or by a service's API token (`cs_…`).
   */
  static async open(appUrl: string, credential: string, origin = appUrl): Promise<TrpcSocket> {
    const headers: Record<string, string> = credential.startsWith('cs_')
      ? { authorization: `Bearer ${credential}` }
      : { cookie: credential, origin };
    const { opened, socket, closeCode } = await openSocket(wsUrl(appUrl), headers);
    if (!opened) throw new Error(`the WebSocket upgrade was refused (close code ${closeCode})`);
    return new TrpcSocket(socket);
  }

  call(id: number, method: 'query' | 'mutation', path: string, input?: unknown): void {
    this.socket.send(JSON.stringify({ id, method, params: { path, input } }));
  }

  subscribe(id: number, chatId: string): void {
    this.socket.send(JSON.stringify({ id, method: 'subscription', params: { path: 'chats.events', input: { chatId } } }));
  }

  stop(id: number): void {
    this.socket.send(JSON.stringify({ id, method: 'subscription.stop' }));
  }

  /** The first reply to `id`: a call's answer, a subscription's `started`, or an error. */
  reply(id: number | string): Promise<Frame> {
    return this.next((frame) => frame.id === id);
  }

  /** The first frame (already received or still to come) that matches. */
  next(match: (frame: Frame) => boolean): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  framesFor(id: number | string): Frame[] {
    return this.frames.filter((frame) => frame.id === id);
  }

  close(): void {
    this.socket.close();
  }
}
