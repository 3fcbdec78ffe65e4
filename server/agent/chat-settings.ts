/**
 * What a run needs to know about its chat, read fresh from the database when the run starts:
 * which servers the chat enabled, what the person always allows there, the catalogue's policies
 * for those servers, and the person's and the chat's instructions for the model. A change to any
 * of these applies from the next run on.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import { PreferenceStore } from './preference-store.ts';
import type { ServerPolicySettings } from './policy.ts';
import type { TurnContext } from './tool-view.ts';

export interface ChatSettingsSource {
  /** The chat behind this thread, if it is this person's and not deleted. */
  turnContext(userId: string, threadId: string): Promise<TurnContext | undefined>;
}

export class DatabaseChatSettings implements ChatSettingsSource {
  // Every turn start runs this, so it is built and prepared once: drizzle's query building and
  // SQLite's prepare were most of its cost (64 → 12 µs CPU a call, bench/db-calls.ts).
  readonly #chat;
  readonly #preferences: PreferenceStore;

  constructor(private readonly db: AppDatabase) {
    const { chats, users } = db.tables;
    this.#chat = db.drizzle
      .select({
        id: chats.id,
        enabledServers: chats.enabledServers,
        alwaysAllowed: chats.alwaysAllowed,
        systemPrompt: chats.systemPrompt,
        customInstructions: users.customInstructions,
      })
      .from(chats)
      .innerJoin(users, eq(users.id, chats.ownerId))
      .where(and(eq(chats.threadId, sql.placeholder('threadId')), eq(chats.ownerId, sql.placeholder('userId')), isNull(chats.deletedAt)))
      .prepare();
    this.#preferences = new PreferenceStore(db);
  }

  async turnContext(userId: string, threadId: string): Promise<TurnContext | undefined> {
    const [chat] = await this.#chat.execute({ threadId, userId });
    if (!chat) return undefined;
    const { mcpServers } = this.db.tables;
    const rows =
      chat.enabledServers.length === 0
        ? []
        : await this.db.drizzle
            .select({
              id: mcpServers.id,
              trusted: mcpServers.trusted,
              defaultPolicy: mcpServers.defaultPolicy,
              toolPolicies: mcpServers.toolPolicies,
            })
            .from(mcpServers)
            .where(and(inArray(mcpServers.id, chat.enabledServers), eq(mcpServers.enabled, true)));
    const servers: Record<string, ServerPolicySettings> = {};
    for (const { id, ...settings } of rows) servers[id] = settings;
    const personal: TurnContext['personal'] = Object.fromEntries(await this.#preferences.forUser(userId));
    return {
      userId,
      chatId: chat.id,
      threadId,
      enabledServers: chat.enabledServers,
      alwaysAllowed: chat.alwaysAllowed,
      servers,
      personal,
      instructions: { person: chat.customInstructions, chat: chat.systemPrompt },
    };
  }
}
