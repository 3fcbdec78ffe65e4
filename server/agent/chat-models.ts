/**
 * The model each chat answers with: the one its owner chose while they may still use it, else the
 * catalogue's default, else the first model they may use. One client is built per catalogue entry
 * and shared by everyone, built again when an admin changes the entry. The catalogue is read at
 * each run's start, so a change made on any instance applies from the next run on.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage } from '@langchain/core/messages';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { answeringModel, type ModelDto } from '../../shared/models.ts';
import { markCatalogueModel } from './answered-by.ts';
import { createChatModel } from './model.ts';
import type { RunSink } from './nodes/runtime.ts';
import type { Config } from '../config.ts';
import { DomainError } from '../domain-error.ts';
import { endpointFor } from '../llm/endpoint.ts';
import type { Logger } from '../log.ts';
import type { ModelCatalogue } from '../models/model-catalogue.ts';
import type { ModelRow } from '../models/model-store.ts';
import type { UsageStore } from '../models/usage-store.ts';

/** One chat's model for one run. */
export interface ChatModel {
  id: string;
  model: BaseChatModel;
  /** The same model with its reply capped (servers' sampling requests). */
  sampling: (maxTokens: number) => BaseChatModel;
  /** Whether the model is offered the person's tools. */
  toolCalls: boolean;
  /** The run's sink, also recording each answer's token usage where the endpoint reports it. */
  counting(sink: RunSink): RunSink;
}

export interface ChatModelsDeps {
  db: AppDatabase;
  catalogue: ModelCatalogue;
  usage: UsageStore;
  /** The silence limit, and the sign-in app azure-ad models get their tokens with. */
  config: Pick<Config, 'llm' | 'auth'>;
  /** People named in ADMINS are admins whatever their stored role (auth/auth-service.ts). */
  isConfiguredAdmin: (user: { email: string | null; subject: string }) => boolean;
  log: Logger;
}

interface Built {
  updatedAt: number;
  model: BaseChatModel;
  sampling: (maxTokens: number) => BaseChatModel;
}

const noModel = () => new DomainError('unavailable', 'No language model is available to you: ask an admin to enable one in the console.');

/** Who a model is offered to: their effective role and the groups their latest sign-in named. */
interface Member {
  role: Role;
  groups: readonly string[];
}
/** Someone unknown: a user in no group. */
const NOBODY: Member = { role: 'user', groups: [] };

/** Everyone, when a model names neither roles nor groups; else those in one of its roles or groups. */
export const mayUse = (row: ModelRow, member: Member) =>
  row.enabled &&
  ((row.allowedRoles.length === 0 && row.allowedGroups.length === 0) ||
    row.allowedRoles.includes(member.role) ||
    row.allowedGroups.some((group) => member.groups.includes(group)));

export class ChatModels {
  readonly #built = new Map<string, Built>();

  constructor(private readonly deps: ChatModelsDeps) {}

  /** The models the person may choose among, the default first. */
  async usable(userId: string): Promise<ModelDto[]> {
    const member = await this.#memberOf(userId);
    const rows = (await this.deps.catalogue.list()).filter((row) => mayUse(row, member));
    return rows.sort((a, b) => Number(b.isDefault) - Number(a.isDefault)).map(toModelDto);
  }

  /** The model a chat whose choice is `modelId` answers this person with now (as each run chooses); undefined: none they may use. */
  async answering(userId: string, modelId: string | null): Promise<ModelDto | undefined> {
    return answeringModel(await this.usable(userId), modelId);
  }

  /** Refuses, as not found, a model the person may not choose: disabled, for other roles or groups, or no such id. */
  async assertUsable(userId: string, modelId: string): Promise<void> {
    const row = await this.deps.catalogue.get(modelId);
    if (!row || !mayUse(row, await this.#memberOf(userId))) throw new DomainError('not_found', 'There is no such model for you to choose.');
  }

  /**
   * The model a new chat starts on: that of the person's most recently used chat they still have,
   * while they may still use it; null (the catalogue's default) otherwise.
   */
  async startingModel(userId: string): Promise<string | null> {
    const { chats } = this.deps.db.tables;
    const [last] = await this.deps.db.drizzle
      .select({ modelId: chats.modelId })
      .from(chats)
      .where(and(eq(chats.ownerId, userId), isNull(chats.deletedAt)))
      .orderBy(desc(chats.updatedAt))
      .limit(1);
    if (!last?.modelId) return null;
    const row = await this.deps.catalogue.get(last.modelId);
    return row && mayUse(row, await this.#memberOf(userId)) ? row.id : null;
  }

  /** The model the chat behind `threadId` answers with now. */
  async forThread(userId: string, threadId: string): Promise<ChatModel> {
    const { chats, users } = this.deps.db.tables;
    const [chat] = await this.deps.db.drizzle
      .select({ modelId: chats.modelId, role: users.role, email: users.email, subject: users.subject, groups: users.groups })
      .from(chats)
      .innerJoin(users, eq(users.id, chats.ownerId))
      .where(and(eq(chats.threadId, threadId), eq(chats.ownerId, userId)));
    const member = chat ? this.#member(chat) : NOBODY;
    const usable = (await this.deps.catalogue.list()).filter((row) => mayUse(row, member));
    const row = answeringModel(usable, chat?.modelId);
    if (!row) throw noModel();
    const built = this.#build(row);
    const record = (message: AIMessage) => this.#record(userId, row, message);
    return {
      id: row.id,
      model: built.model,
      sampling: built.sampling,
      toolCalls: row.toolCalls,
      counting: (sink) => ({
        ...sink,
        reply: (message, plan) => {
          record(message);
          sink.reply(message, plan);
        },
      }),
    };
  }

  #build(row: ModelRow): Built {
    const cached = this.#built.get(row.id);
    if (cached?.updatedAt === row.updatedAt.getTime()) return cached;
    const endpoint = endpointFor(this.deps.catalogue.settingsOf(row.id, row), this.deps.config);
    const log = this.deps.log.child({ modelId: row.id });
    const built = {
      updatedAt: row.updatedAt.getTime(),
      model: markCatalogueModel(createChatModel(endpoint, log), row),
      sampling: (maxTokens: number) => createChatModel(endpoint, log, { maxTokens }),
    };
    this.#built.set(row.id, built);
    return built;
  }

  /** Usage is bookkeeping: a failure to write it is logged, and the answer goes on. */
  #record(userId: string, row: ModelRow, message: AIMessage): void {
    const usage = message.usage_metadata;
    if (!usage) return;
    this.deps.usage
      .add({
        userId,
        modelId: row.id,
        modelName: row.name,
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        at: new Date(),
      })
      .catch((error) => this.deps.log.warn('recording token usage failed', { userId, modelId: row.id, error }));
  }

  async #memberOf(userId: string): Promise<Member> {
    const { users } = this.deps.db.tables;
    const [user] = await this.deps.db.drizzle
      .select({ role: users.role, email: users.email, subject: users.subject, groups: users.groups })
      .from(users)
      .where(eq(users.id, userId));
    return user ? this.#member(user) : NOBODY;
  }

  #member(user: { role: Role; email: string | null; subject: string; groups: string[] }): Member {
    return { role: this.deps.isConfiguredAdmin(user) ? 'admin' : user.role, groups: user.groups };
  }
}

function toModelDto(row: ModelRow): ModelDto {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    acceptsImages: row.acceptsImages,
    supportsToolCalls: row.toolCalls,
    contextWindow: row.contextWindow,
    offlineDemo: row.provider === 'demo',
  };
}
