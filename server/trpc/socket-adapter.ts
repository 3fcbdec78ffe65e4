/**
 * An Elysia WebSocket wrapped as the small `ws`-like object tRPC's connection handler expects.
 * It also remembers which calls tRPC has not answered yet, so that a socket whose session ended
 * mid-call (`auth.logout` over this very socket) closes only after the answer went out: tRPC drops
 * every reply once a socket starts closing.
 */
import { EventEmitter } from 'node:events';
import { refusalShape } from './http.ts';

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

  /** Hands one message to tRPC: `text` is `message` as tRPC reads it (Elysia parses JSON text frames). */
  receive(message: unknown, text: string): void {
    const call = callOf(message);
    // Subscriptions are not waited for: they answer `started` and then run until stopped.
    if (call && call.method !== 'subscription') this.#unanswered.add(call.id);
    this.emit('message', Buffer.from(text), false);
  }

  /** Answers a call that tRPC will not see as TOO_MANY_REQUESTS, which its client shows; other messages get no answer. */
  refuseAsTooMany(message: unknown, reason: string): void {
    const call = callOf(message);
    if (call) this.send(JSON.stringify({ id: call.id, error: refusalShape(429, 'TOO_MANY_REQUESTS', reason, call.path) }));
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

interface Call {
  id: CallId;
  method: 'query' | 'mutation' | 'subscription';
  path: string | undefined;
}

/** The call a message makes; undefined for anything else (a subscription stop, a malformed message). */
function callOf(message: unknown): Call | undefined {
  const { id, method, params } = (message ?? {}) as { id?: unknown; method?: unknown; params?: { path?: unknown } };
  if (method !== 'query' && method !== 'mutation' && method !== 'subscription') return undefined;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  return { id, method, path: typeof params?.path === 'string' ? params.path : undefined };
}

/** tRPC writes the id first in every reply; reading just that spares parsing the whole frame. */
function replyId(frame: string): CallId | undefined {
  const match = /^\{"id":(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*")/.exec(frame);
  return match ? (JSON.parse(match[1]!) as CallId) : undefined;
}
