/**
 * The roots a person's connection to a server answers `roots/list` with: the roots the person chose
 * for that server in the chat the request belongs to, of those the server's admin allows now (a
 * root the admin has since removed is not offered, whatever a chat chose).
 *
 * A request outside any call (a server asking right after it connects, or after
 * `notifications/roots/list_changed`) belongs to no chat. A connection is one per person and
 * server, shared by all of that person's chats, so such a request is answered with what any of
 * their chats offers the server: a server that reads its roots once, at connect, can then work in
 * every chat that offers it something. It never sees a root no chat of the person chose, nor
 * another person's.
 */
import type { CatalogueEntry } from './catalogue-store.ts';
import { type OfferedRoot, offeredRoots } from './allowed-roots.ts';

/** What people chose: server id → root URIs, per chat (chats.roots). */
export interface ChosenRoots {
  /** The chat's choices; undefined when the chat is not the person's, or was deleted. */
  ofChat(userId: string, chatId: string): Promise<Record<string, string[]> | undefined>;
  /** The choices of each of the person's chats that is not deleted. */
  ofPerson(userId: string): Promise<Record<string, string[]>[]>;
}

export interface PersonRootsDeps {
  chosen: ChosenRoots;
  /** Read at every request, so an admin's change applies to the next one. */
  catalogue: { get(serverId: string): Promise<CatalogueEntry | undefined> };
}

export class PersonRoots {
  constructor(private readonly deps: PersonRootsDeps) {}

  /** For the request of a call in `chatId`, or, with none, of no call. */
  async list(userId: string, serverId: string, chatId: string | undefined): Promise<OfferedRoot[]> {
    const entry = await this.deps.catalogue.get(serverId);
    if (!entry?.enabled || entry.allowedRoots.length === 0) return [];
    const { chosen } = this.deps;
    const choices = chatId === undefined ? await chosen.ofPerson(userId) : [(await chosen.ofChat(userId, chatId)) ?? {}];
    return offeredRoots(entry.allowedRoots, new Set(choices.flatMap((choice) => choice[serverId] ?? [])));
  }
}
