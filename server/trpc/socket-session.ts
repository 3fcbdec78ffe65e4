/**
 * The session behind one open WebSocket. tRPC builds a socket's context once, at the upgrade, so
 * the session has to be watched for as long as the socket lives: calls run only while it is live,
 * and the socket ends (4401) once the session has expired or been ended. Checking costs one clock
 * read per call: the expiry the session had is remembered, and the request is authenticated again
 * only once that moment has passed (sliding expiry may have moved it on), when a timer set for it
 * fires, or when the auth service says sessions of this person ended.
 */
import type { SessionUser } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import type { Authenticate } from './context.ts';

/** setTimeout waits at most 2^31-1 ms (about 24.8 days); a longer wait is taken in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export interface SocketSessionOptions {
  /** The upgrade request: its session cookie or API token is what is checked again. */
  request: Request;
  user: SessionUser;
  authenticate: Authenticate;
  /** When the session that authenticated a user lapses unless used; undefined: no known end. */
  validUntil: (user: SessionUser) => Date | undefined;
  /** Ends the socket. */
  end: (code: number, reason: string) => void;
  log: Logger;
  now?: () => number;
}

export class SocketSession {
  #validUntil: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The re-check in progress, with the calls that arrived during it chained behind, in order. */
  #queue: Promise<boolean> | undefined;
  #ended = false;
  readonly #now: () => number;

  constructor(private readonly options: SocketSessionOptions) {
    this.#now = options.now ?? Date.now;
    this.#validUntil = this.#expiryOf(options.user);
    this.#arm();
  }

  /** Runs `call` at once while the session is known to be live, after a re-check once its known expiry has passed, and never once it has ended. */
  whenLive(call: () => void): void {
    if (this.#ended) return;
    if (!this.#queue && this.#now() < this.#validUntil) {
      call();
      return;
    }
    const queued = (this.#queue ?? this.#check()).then((live) => {
      if (live) call();
      return live;
    });
    this.#queue = queued;
    void queued.then(() => {
      if (this.#queue === queued) this.#queue = undefined;
    });
  }

  /** Authenticates the socket's request again, and ends the socket if its session is gone; false once it has ended. */
  recheck(): Promise<boolean> {
    return this.#check();
  }

  /** The socket closed: stop watching. */
  dispose(): void {
    this.#ended = true;
    clearTimeout(this.#timer);
  }

  async #check(): Promise<boolean> {
    let still: SessionUser | null;
    try {
      still = await this.options.authenticate(this.options.request);
    } catch (error) {
      this.options.log.error('could not check the session of an open socket', { userId: this.options.user.id, error });
      this.#end(1011, 'Your session could not be checked. Reconnect to try again.');
      return false;
    }
    if (this.#ended) return false;
    if (still?.id !== this.options.user.id) {
      this.options.log.info('closing socket of an ended session', { userId: this.options.user.id });
      this.#end(4401, 'Your session has ended. Sign in again.');
      return false;
    }
    this.#validUntil = this.#expiryOf(still);
    this.#arm();
    return true;
  }

  #expiryOf(user: SessionUser): number {
    return this.options.validUntil(user)?.getTime() ?? Number.POSITIVE_INFINITY;
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (this.#ended || this.#validUntil === Number.POSITIVE_INFINITY) return;
    const wait = Math.min(Math.max(this.#validUntil - this.#now(), 0), LONGEST_TIMER_MS);
    this.#timer = setTimeout(() => {
      if (this.#now() < this.#validUntil) this.#arm();
      // Through the call queue, so the re-check is ordered with calls arriving meanwhile.
      else this.whenLive(() => {});
    }, wait);
  }

  #end(code: number, reason: string): void {
    if (this.#ended) return;
    this.dispose();
    this.options.end(code, reason);
  }
}
