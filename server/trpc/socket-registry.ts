/**
 * Open WebSockets by user, so that ending sessions (logout, a disabled user, a changed role, a
 * revoked token) also ends the sockets they authenticated: each socket checks its own session.
 */
import type { OpenSocket } from './ws-bridge.ts';

export class SocketRegistry {
  #byUser = new Map<string, Set<OpenSocket>>();

  add(socket: OpenSocket): () => void {
    const set = this.#byUser.get(socket.user.id) ?? new Set();
    set.add(socket);
    this.#byUser.set(socket.user.id, set);
    return () => {
      set.delete(socket);
      if (set.size === 0) this.#byUser.delete(socket.user.id);
    };
  }

  countFor(userId: string): number {
    return this.#byUser.get(userId)?.size ?? 0;
  }

  /** Re-checks every socket of the user; those whose session has ended close. */
  async revalidate(userId: string): Promise<void> {
    await Promise.all([...(this.#byUser.get(userId) ?? [])].map((socket) => socket.recheck()));
  }

  closeAll(reason: string): void {
    for (const set of this.#byUser.values()) for (const socket of set) socket.close(1001, reason);
  }
}
