/**
 * The calls this instance is running, by caller and JSON-RPC request id, so that a cancel naming
 * one finds it. The caller is part of the key: one person's cancel never reaches another person's
 * call that happens to have the same id. With no session, two of one person's clients using the
 * same id at once cannot be told apart; a cancel naming that id stops both, the person's own work
 * either way.
 */
import type { RequestId } from '@modelcontextprotocol/server';

export class CallsInFlight {
  readonly #stops = new Map<string, Set<() => void>>();

  /** Keeps `stop` for this user's call until the function returned forgets it. */
  add(userId: string, requestId: RequestId, stop: () => void): () => void {
    const key = keyOf(userId, requestId);
    const stops = this.#stops.get(key) ?? new Set();
    this.#stops.set(key, stops);
    stops.add(stop);
    return () => {
      stops.delete(stop);
      if (stops.size === 0 && this.#stops.get(key) === stops) this.#stops.delete(key);
    };
  }

  /** Stops this user's calls with that id running here; false when none runs here. */
  stop(userId: string, requestId: RequestId): boolean {
    const stops = this.#stops.get(keyOf(userId, requestId));
    if (!stops) return false;
    for (const stop of [...stops]) stop();
    return true;
  }
}

/** Request 1 and request "1" are different calls. */
function keyOf(userId: string, requestId: RequestId): string {
  return JSON.stringify([userId, requestId]);
}
