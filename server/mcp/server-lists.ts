/**
 * A server's prompts and resources as a connection keeps them: at most MAX_LISTED of each list,
 * listed once per live client and kept until the server says the list changed, so a person
 * typing `/` or `@` asks the server nothing new.
 */

/** What a person can pick from in the composer; a server listing more gets a line saying so. */
export const MAX_LISTED = 500;

/** The first MAX_LISTED items, and how many more there were. */
export function bounded<T>(items: T[]): { items: T[]; more: number } {
  return { items: items.slice(0, MAX_LISTED), more: Math.max(0, items.length - MAX_LISTED) };
}

/**
 * One list of one connection. A listing belongs to the client it was made on, so a reconnect
 * lists again; a change notice forgets it, and a listing that raced the notice is handed to its
 * callers but not kept. Failed listings are not kept either.
 */
export class ListCache<T extends { ok: boolean }> {
  #kept: { client: object; listing: Promise<T> } | undefined;

  get(client: object, list: () => Promise<T>): Promise<T> {
    if (this.#kept?.client === client) return this.#kept.listing;
    const forget = () => {
      if (this.#kept?.listing === listing) this.#kept = undefined;
    };
    const listing: Promise<T> = list().then(
      (value) => {
        if (!value.ok) forget();
        return value;
      },
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    this.#kept = { client, listing };
    return listing;
  }

  /** The server said the list changed. */
  changed(): void {
    this.#kept = undefined;
  }
}
