/**
 * A person's chats and the runs on them: list, create, get, rename, set servers, delete, and the
 * run path (send, decide, retry, stop, titles). One run at a time per chat (run-registry.ts, the
 * one owner of whether a chat's run is going, stopped, or failed and why), each
 * streaming its events into the chat's event hub, where every open tab and a reconnecting client
 * find them; a change the chat list shows (a title) is published there too, as `chat_updated`.
 * A send while a run is going or an approval is pending is refused, never interleaved.
 */
import type { ChatDto, ChatPageDto, ChatWithHistory } from '../../shared/chats.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { ApprovalDecision, ChatEvent, RunState } from '../../shared/chat-events.ts';
import type { RunOptions } from '../agent/llm-handler.ts';
import { chatNotFound, DomainError } from '../domain-error.ts';
import type { UserHandlers } from '../tools/user-handlers.ts';
import type { Logger } from '../log.ts';
import type { ChatRow, ChatStore } from './chat-store.ts';
import { toChatDto } from './dto.ts';
import type { EventHub } from './event-hub.ts';
import type { Claim, RunRegistry } from './run-registry.ts';

const DEFAULT_TITLE = 'New chat';

export interface ChatServiceDeps {
  handlers: UserHandlers;
  chats: ChatStore;
  hub: EventHub<ChatEvent>;
  /** Shared with the person's handlers, which ask it whether they have a run going. */
  runs: RunRegistry;
  /** LangGraph's history store, one thread per chat. */
  history: { deleteThread(threadId: string): Promise<void> };
  /** Server ids a new chat uses when the caller names none: the person's connected servers. */
  connectedServers: (userId: string) => Promise<string[]>;
  log: Logger;
}

export class ChatService {
  readonly hub: EventHub<ChatEvent>;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(private readonly deps: ChatServiceDeps) {
    this.hub = deps.hub;
  }

  /** The person's chat, or a not-found refusal (deleted, or someone else's). */
  async owned(userId: string, chatId: string): Promise<ChatRow> {
    const chat = await this.deps.chats.get(userId, chatId);
    if (!chat) throw chatNotFound();
    return chat;
  }

  async list(userId: string, options: { limit: number; cursor?: string; search?: string }): Promise<ChatPageDto> {
    const page = await this.deps.chats.list(userId, options);
    if (!page) throw new DomainError('invalid', 'cursor is not one this API returned.');
    return { items: page.items.map(toChatDto), nextCursor: page.nextCursor };
  }

  async create(userId: string, init: { title?: string; enabledServers?: string[] }): Promise<ChatDto> {
    const enabledServers = init.enabledServers ?? (await this.deps.connectedServers(userId));
    return toChatDto(await this.deps.chats.create(userId, { ...init, enabledServers }));
  }

  /** The chat, its history, and the event id to follow from so nothing is missed. */
  async get(userId: string, chatId: string): Promise<ChatWithHistory> {
    const chat = await this.owned(userId, chatId);
    // The cursor is taken first: whatever happens while the history is read is replayed after it.
    const cursor = this.hub.cursor(chat.id);
    const history = await (await this.deps.handlers.llmFor(userId)).history(chat.threadId);
    // The checkpoint cannot know that a run is going (it may still wait for the thread lock), why
    // the last one failed, or that the person stopped it.
    history.runState = this.deps.runs.overlay(chat.id, history.runState);
    return { chat: toChatDto(chat), history, cursor };
  }

  async rename(userId: string, chatId: string, title: string): Promise<ChatDto> {
    return this.#update(userId, chatId, { title });
  }

  async setServers(userId: string, chatId: string, enabledServers: string[]): Promise<ChatDto> {
    return this.#update(userId, chatId, { enabledServers: [...new Set(enabledServers)] });
  }

  /** Adds a server to the chat's servers, if it is not there yet. */
  async addServer(userId: string, chat: ChatRow, serverId: string): Promise<void> {
    if (!chat.enabledServers.includes(serverId))
      await this.#update(userId, chat.id, { enabledServers: [...chat.enabledServers, serverId] });
  }

  /** Deletes the chat: its run stops, its events and its history (the checkpointer thread) go. */
  async delete(userId: string, chatId: string): Promise<{ id: string; deleted: true }> {
    const row = await this.deps.chats.softDelete(userId, chatId);
    if (!row) throw chatNotFound();
    this.deps.runs.stop(row.id);
    this.deps.runs.forget(row.id);
    this.hub.drop(row.id);
    await this.deps.history.deleteThread(row.threadId);
    return { id: row.id, deleted: true };
  }

  /** Starts a turn; returns once it is accepted, while events stream to subscribers. */
  async send(userId: string, chat: ChatRow, text: string): Promise<void> {
    const claim = this.deps.runs.claim(chat.id, userId, 'This chat is still answering; wait for it or press Stop before sending again.');
    const handler = await this.#llm(userId, chat.id, claim);
    await this.#background(
      chat,
      claim,
      (options) => handler.send(chat.threadId, text, options),
      async () => {
        if (chat.title === DEFAULT_TITLE) await this.#title(userId, chat);
      },
    );
  }

  /**
   * Answers an approval. The tools in `alwaysAllow` are stored for the chat only if the decision is
   * accepted, and only those of the approval that were not rejected (the handler checks both).
   */
  async decide(userId: string, chat: ChatRow, interruptId: string, decisions: ApprovalDecision[], alwaysAllow: string[]): Promise<void> {
    const claim = await this.deps.runs.claimForDecision(chat.id, userId, interruptId);
    const handler = await this.#llm(userId, chat.id, claim);
    const allowAlways = {
      tools: alwaysAllow,
      store: (alwaysAllowed: string[]) => this.deps.chats.update(userId, chat.id, { alwaysAllowed }),
    };
    await this.#background(chat, claim, (options) => handler.decide(chat.threadId, interruptId, decisions, { ...options, allowAlways }));
  }

  async retry(userId: string, chat: ChatRow): Promise<void> {
    const claim = this.deps.runs.claim(chat.id, userId, 'This chat is still answering.');
    const handler = await this.#llm(userId, chat.id, claim);
    await this.#background(chat, claim, (options) => handler.retry(chat.threadId, options));
  }

  /** Stops the chat's run, if one is going; what it had finished stays in the history. */
  stop(chat: ChatRow): boolean {
    return this.deps.runs.stop(chat.id);
  }

  /** Waits for runs in flight (graceful shutdown); their checkpoints make the rest resumable. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  async #update(userId: string, chatId: string, patch: Parameters<ChatStore['update']>[2]): Promise<ChatDto> {
    const row = await this.deps.chats.update(userId, chatId, patch);
    if (!row) throw chatNotFound();
    const chat = toChatDto(row);
    this.hub.publish(chat.id, { type: 'chat_updated', threadId: chat.threadId, chat });
    return chat;
  }

  async #llm(userId: string, chatId: string, claim: Claim) {
    try {
      return await this.deps.handlers.llmFor(userId);
    } catch (error) {
      this.deps.runs.release(chatId, claim);
      throw error;
    }
  }

  /**
   * Runs in the background and resolves once the run is accepted (its first event), so the caller
   * hears at once of a refusal (stale approval, invalid edit, missing chat) with the right code,
   * and otherwise follows the run through the event stream.
   */
  #background(chat: ChatRow, claim: Claim, run: (options: RunOptions) => Promise<RunState>, after?: () => Promise<void>): Promise<void> {
    const { promise: accepted, resolve, reject } = Promise.withResolvers<void>();
    let started = false;
    const emit = (event: ChatEvent) => {
      started = true;
      resolve();
      // Before it is published: whoever sees the approval may decide on it at once.
      if (event.type === 'approval_requested') claim.raised = event.approval.interruptId;
      this.hub.publish(chat.id, event);
    };
    const fail = (reason: string) =>
      emit({ type: 'run_state', threadId: chat.threadId, at: new Date().toISOString(), state: { status: 'failed', reason } });
    const done = (async () => {
      let finished = false;
      try {
        this.deps.runs.ended(chat.id, claim, await run({ emit, signal: claim.signal }));
        resolve();
        await this.deps.chats.touch(chat.id);
        finished = true;
      } catch (error) {
        if (error instanceof DomainError && !started) {
          reject(error);
        } else if (error instanceof DomainError) {
          fail(error.message);
        } else {
          this.deps.log.error('chat run failed', { chatId: chat.id, error });
          fail('The run failed unexpectedly; try again.');
        }
      } finally {
        this.deps.runs.release(chat.id, claim);
      }
      // Naming a new chat asks the model again: the chat is free meanwhile, so a quick decision
      // or the next message does not wait for it.
      if (finished) await after?.();
    })();
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
    return accepted;
  }

  async #title(userId: string, chat: ChatRow): Promise<void> {
    try {
      const title = (await (await this.deps.handlers.llmFor(userId)).suggestTitle(chat.threadId)).slice(0, LIMITS.title);
      const current = await this.deps.chats.get(userId, chat.id);
      // The person may have renamed it meanwhile; their title wins.
      if (current && current.title === DEFAULT_TITLE && title) await this.#update(userId, chat.id, { title });
    } catch (error) {
      this.deps.log.warn('naming a chat failed', { chatId: chat.id, error });
    }
  }
}
