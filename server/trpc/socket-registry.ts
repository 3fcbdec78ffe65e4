/**
 * Open WebSockets by user, so that ending sessions (logout, a disabled user) also ends the
 * sockets they authenticated. A socket is closed when its upgrade request no longer authenticates.
 */
import type { Logger } from '../log.ts';
import type { OpenSocket } from './ws-bridge.ts';

interface Entry extends OpenSocket {
  request: Request;
}

export class SocketRegistry {
  #byUser = new Map<string, Set<Entry>>();

  constructor(
    private readonly authenticate: (request: Request) => Promise<{ id: string } | null>,
    private readonly log: Logger,
  ) {}

  add(socket: OpenSocket, request: Request): () => void {
    const entry: Entry = { ...socket, request };
    const set = this.#byUser.get(socket.user.id) ?? new Set();
    set.add(entry);
    this.#byUser.set(socket.user.id, set);
    return () => {
      set.delete(entry);
      if (set.size === 0) this.#byUser.delete(socket.user.id);
    };
  }

  countFor(userId: string): number {
    return this.#byUser.get(userId)?.size ?? 0;
  }

  /** Re-checks every socket of the user and closes those whose session has ended. */
  async revalidate(userId: string): Promise<void> {
    for (const entry of [...(this.#byUser.get(userId) ?? [])]) {
      const still = await this.authenticate(entry.request);
      if (still?.id !== userId) {
        this.log.info('closing socket of an ended session', { userId });
        entry.close(4401, 'Your session has ended. Sign in again.');
      }
    }
  }

  closeAll(reason: string): void {
    for (const set of this.#byUser.values()) for (const entry of set) entry.close(1001, reason);
  }
}
