/**
 * An Elysia WebSocket wrapped as the small `ws`-like object tRPC's connection handler expects.
 * It also remembers which calls tRPC has not answered yet, so that a socket whose session ended
 * mid-call (`auth.logout` over this very socket) closes only after the answer went out: tRPC drops
 * every reply once a socket starts closing.
 */
import { EventEmitter } from 'node:events';

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
/** How long calls still running may take to answer before their socket closes anyway. */
const ANSWER_GRACE_MS = 5_000;

interface ElysiaSocket {
  send(data: string, compress?: boolean): unknown;
  close(code?: number, reason?: string): unknown;
  terminate(): unknown;
}

type CallId = string | number;

export class SocketAdapter extends EventEmitter {
  readyState = OPEN;
  /** Queries and mutations handed to tRPC and not answered yet. */
  readonly #unanswered = new Set<CallId>();
  #closeWhenAnswered: { code: number; reason: string; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(
    private readonly socket: ElysiaSocket,
    private readonly compressFrame: (frame: string) => boolean,
  ) {
    super();
  }

  /** Hands one frame, as the client sent it, to tRPC. */
  receive(frame: unknown): void {
    for (const id of callIds(frame)) this.#unanswered.add(id);
    // Elysia parses JSON text frames; tRPC's handler wants the frame as it came.
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    this.emit('message', Buffer.from(text), false);
  }

  send(data: string | Uint8Array) {
    if (this.readyState !== OPEN) return;
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    this.socket.send(text, this.compressFrame(text));
    if (this.#unanswered.size === 0) return;
    const id = replyId(text);
    if (id !== undefined && this.#unanswered.delete(id) && this.#unanswered.size === 0 && this.#closeWhenAnswered) {
      this.close(this.#closeWhenAnswered.code, this.#closeWhenAnswered.reason);
    }
  }

  /** Closes once every call already handed to tRPC has been answered (or after a grace period). */
  closeWhenAnswered(code: number, reason: string): void {
    if (this.#unanswered.size === 0) {
      this.close(code, reason);
      return;
    }
    if (this.#closeWhenAnswered) return;
    this.#closeWhenAnswered = { code, reason, timer: setTimeout(() => this.close(code, reason), ANSWER_GRACE_MS) };
  }

  close(code?: number, reason?: string) {
    clearTimeout(this.#closeWhenAnswered?.timer);
    if (this.readyState !== OPEN) return;
    this.readyState = CLOSING; // until Elysia reports the close
    this.socket.close(code, reason);
  }

  terminate() {
    this.readyState = CLOSED;
    this.socket.terminate();
  }

  /** Elysia reported the close. */
  closed(): void {
    clearTimeout(this.#closeWhenAnswered?.timer);
    this.readyState = CLOSED;
    this.emit('close');
  }
}

/** Ids of the queries and mutations in a frame (one call, or a batch of them). */
function callIds(frame: unknown): CallId[] {
  const calls = Array.isArray(frame) ? frame : [frame];
  return calls.flatMap((call: unknown) => {
    const { id, method } = (call ?? {}) as { id?: unknown; method?: unknown };
    return (method === 'query' || method === 'mutation') && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
  });
}

/** tRPC writes the id first in every reply; reading just that spares parsing the whole frame. */
function replyId(frame: string): CallId | undefined {
  const match = /^\{"id":(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*")/.exec(frame);
  return match ? (JSON.parse(match[1]!) as CallId) : undefined;
}
