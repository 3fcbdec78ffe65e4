/**
 * Which chat events were already applied. Event ids are `<epoch>.<seq>`: seq grows by one per
 * event of a chat within one server process (epoch). After a reconnect the server replays from
 * the last id the client saw, and the old and new sockets can overlap for a moment, so an event
 * can arrive twice: only ids past the last one applied are taken.
 */
export class EventCursor {
  #epoch = '';
  #seq = -1;

  /** Starts from a chats.get cursor: events up to it are already part of the loaded history. */
  reset(cursor: string): void {
    [this.#epoch, this.#seq] = parse(cursor) ?? ['', -1];
  }

  /** True when the event is new and should be applied. */
  accept(id: string): boolean {
    const parsed = parse(id);
    if (!parsed) return true;
    const [epoch, seq] = parsed;
    if (epoch === this.#epoch && seq <= this.#seq) return false;
    this.#epoch = epoch;
    this.#seq = seq;
    return true;
  }
}

function parse(id: string): [string, number] | undefined {
  const dot = id.lastIndexOf('.');
  const seq = Number(id.slice(dot + 1));
  return dot > 0 && Number.isSafeInteger(seq) ? [id.slice(0, dot), seq] : undefined;
}
