/**
 * Open WebSockets by user, so that ending sessions (logout, a disabled user, a changed role, a
 * revoked token) also ends the sockets they authenticated: each socket checks its own session.
 * It also counts them for the per-person cap: here in embedded mode, across every instance
 * through a shared count in cluster mode.
 */
import type { OpenSocket } from './ws-bridge.ts';

/** A person's open sockets counted on every instance (cluster/redis-socket-cap.ts). */
export interface SharedSocketCount {
  countFor(userId: string): Promise<number>;
  /** Settles once counted; never rejects (a failure is the counter's to report and right). */
  opened(userId: string): Promise<void>;
  closed(userId: string): Promise<void>;
}

export class SocketRegistry {
  #byUser = new Map<string, Set<OpenSocket>>();

  constructor(private readonly shared?: SharedSocketCount) {}

  add(socket: OpenSocket): () => void {
    const userId = socket.user.id;
    const set = this.#byUser.get(userId) ?? new Set();
    set.add(socket);
    this.#byUser.set(userId, set);
    void this.shared?.opened(userId);
    return () => {
      if (!set.delete(socket)) return;
      if (set.size === 0) this.#byUser.delete(userId);
      void this.shared?.closed(userId);
    };
  }

  /** The person's open sockets: on this instance, or on every instance when the count is shared. */
  countFor(userId: string): number | Promise<number> {
    return this.shared ? this.shared.countFor(userId) : (this.#byUser.get(userId)?.size ?? 0);
  }

  /** Re-checks every socket of the user; those whose session has ended close. */
  async revalidate(userId: string): Promise<void> {
    await Promise.all([...(this.#byUser.get(userId) ?? [])].map((socket) => socket.recheck()));
  }

  /** Re-checks every socket here; those whose session has ended close. Returns the people they belonged to. */
  async revalidateAll(): Promise<string[]> {
    const sockets = [...this.#byUser.values()].flatMap((set) => [...set]);
    const live = await Promise.all(sockets.map((socket) => socket.recheck()));
    return [...new Set(sockets.filter((_, i) => !live[i]).map((socket) => socket.user.id))];
  }

  closeAll(reason: string): void {
    for (const set of this.#byUser.values()) for (const socket of set) socket.close(1001, reason);
  }
}
