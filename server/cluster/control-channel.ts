/**
 * What every instance must apply at once: a run to stop, a chat deleted, a person's sessions ended,
 * a catalogue or policy change. A message published reaches every instance, this one included, so
 * the code that applies it is the same whether one instance runs or ten. In the embedded mode the
 * channel is in-process (LocalControlChannel); in cluster mode it is Redis pub/sub.
 */
import type { CatalogueChange } from '../mcp/catalogue.ts';

export type ControlMessage =
  /** Stop the chat's run wherever it runs (the person pressed Stop). */
  | { type: 'stop-run'; chatId: string }
  /** The chat is deleted: stop its run, forget it. */
  | { type: 'chat-deleted'; chatId: string }
  /** The run holding the chat let go of it (or handed it to a decision): decisions waiting on another instance may go. */
  | { type: 'run-released'; chatId: string }
  /** Sessions of the person ended (sign-out, disabled, role changed, token revoked): their sockets re-check, their handlers go. */
  | { type: 'sessions-ended'; userId: string; tokenHash?: string }
  /** An admin changed the catalogue; `id` lets the publishing instance wait until it has applied the change itself. */
  | { type: 'catalogue-changed'; id: string; change: CatalogueChange }
  /** The person connected or disconnected the server: their live handler on each instance follows. */
  | { type: 'connections-changed'; userId: string; serverId: string };

export type ControlType = ControlMessage['type'];
export type ControlOf<T extends ControlType> = Extract<ControlMessage, { type: T }>;

export interface ControlChannel {
  /** Reaches every instance's handlers for the message's type, this one's included. */
  publish(message: ControlMessage): Promise<void>;
  /** Handles a type of message; returns the function that stops handling it. */
  on<T extends ControlType>(type: T, handler: (message: ControlOf<T>) => void): () => void;
  close(): Promise<void>;
}

/** The handlers of one instance, by message type. */
export class ControlHandlers {
  readonly #handlers = new Map<ControlType, Set<(message: ControlMessage) => void>>();

  on<T extends ControlType>(type: T, handler: (message: ControlOf<T>) => void): () => void {
    const set = this.#handlers.get(type) ?? new Set();
    this.#handlers.set(type, set);
    const untyped = handler as (message: ControlMessage) => void;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  deliver(message: ControlMessage): void {
    for (const handler of this.#handlers.get(message.type) ?? []) handler(message);
  }
}

/** One process: a message reaches this process's handlers, in a microtask, as it would arrive from Redis. */
export class LocalControlChannel implements ControlChannel {
  readonly #handlers = new ControlHandlers();

  async publish(message: ControlMessage): Promise<void> {
    queueMicrotask(() => this.#handlers.deliver(message));
  }

  on<T extends ControlType>(type: T, handler: (message: ControlOf<T>) => void): () => void {
    return this.#handlers.on(type, handler);
  }

  async close(): Promise<void> {}
}
