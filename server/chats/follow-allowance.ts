/**
 * How many chats one connection and one person may follow (`chats.events`) at once. Every
 * subscription holds memory and is written a frame per event, so a flood of them on one socket
 * exhausts the server (issue 13: 20,000 on one socket took 434 MB, and one send then wrote 220,000
 * frames). A follow is one connection following one chat. A second subscription to the same chat on
 * that connection is the same follow (a page may subscribe from two places, or resubscribe before
 * its old subscription has stopped); a third is refused, so duplicates cannot multiply the frames.
 */
import { DomainError } from '../domain-error.ts';

export const FOLLOW_LIMITS = {
  /** A page follows the chat it shows; a service follows the chats it drives. */
  perConnection: 100,
  /** Across all of a person's connections (at most 20 sockets): several tabs and services. */
  perPerson: 300,
  /** Subscriptions to one chat on one connection. */
  sameChat: 2,
};

const tooMany = (message: string) => new DomainError('too_many', message);
const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

export class FollowAllowance {
  /** Subscriptions per chat, for each connection. */
  readonly #byConnection = new WeakMap<object, Map<string, number>>();
  /** Follows per person. */
  readonly #byPerson = new Map<string, number>();

  /**
   * Takes a place for one subscription, or refuses with a `too_many` error naming the cap; the place is
   * given back as soon as `stopped` aborts (the subscription was stopped, or its socket closed).
   * `connection` identifies the socket; a call with none counts as a connection of its own.
   * Without `stopped` nothing could give the place back: only in-process callers lack it, and
   * they are not counted (nor is a subscription stopped before it started).
   */
  take(connection: object | undefined, userId: string, chatId: string, stopped: AbortSignal | undefined): void {
    if (!stopped || stopped.aborted) return;
    const chats = this.#byConnection.get(connection ?? {}) ?? new Map<string, number>();
    const onChat = chats.get(chatId) ?? 0;
    const follows = this.#byPerson.get(userId) ?? 0;
    const { perConnection, perPerson, sameChat } = FOLLOW_LIMITS;
    if (onChat >= sameChat) {
      throw tooMany(
        `This connection already follows this chat ${times(sameChat)}, the most it may; stop one of those subscriptions first.`,
      );
    }
    if (onChat === 0 && chats.size >= perConnection) {
      throw tooMany(`This connection already follows ${perConnection} chats, the most one connection may; stop following one first.`);
    }
    if (onChat === 0 && follows >= perPerson) {
      throw tooMany(`You already follow ${perPerson} chats across your connections, the most one person may; stop following one first.`);
    }
    chats.set(chatId, onChat + 1);
    if (connection) this.#byConnection.set(connection, chats);
    if (onChat === 0) this.#byPerson.set(userId, follows + 1);

    const release = () => {
      const left = chats.get(chatId)! - 1;
      if (left > 0) return void chats.set(chatId, left);
      chats.delete(chatId);
      const remaining = this.#byPerson.get(userId)! - 1;
      if (remaining > 0) this.#byPerson.set(userId, remaining);
      else this.#byPerson.delete(userId);
    };
    stopped.addEventListener('abort', release, { once: true });
  }
}
