/**
 * Runs of a chat as the API sees them: one at a time per chat, each streaming its events into
 * the chat's event hub (where every open tab and a reconnecting client find them). A send while
 * a run is going or an approval is pending is refused, never interleaved.
 */
import { TRPCError } from '@trpc/server';
import type { ApprovalDecision, ChatEvent, RunState } from '../../shared/chat-events.ts';
import { AgentError } from '../agent/errors.ts';
import type { UserHandlers } from '../handlers/user-handlers.ts';
import type { Logger } from '../log.ts';
import type { ChatRow, ChatStore } from './chat-store.ts';
import type { EventHub } from './event-hub.ts';

const DEFAULT_TITLE = 'New chat';

export class ChatRuns {
  /** Chats with a run in flight in this process (the thread lock serialises; this answers at once). */
  readonly #active = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    private readonly handlers: UserHandlers,
    private readonly chats: ChatStore,
    readonly hub: EventHub<ChatEvent>,
    private readonly log: Logger,
  ) {}

  isActive(chatId: string): boolean {
    return this.#active.has(chatId);
  }

  /** Starts a turn; returns once it is accepted, while events stream to subscribers. */
  async send(userId: string, chat: ChatRow, text: string): Promise<void> {
    this.#claim(chat.id, 'This chat is still answering; wait for it or press Stop before sending again.');
    const handler = await this.#llm(userId, chat.id);
    await this.#background(chat, (emit) => handler.send(chat.threadId, text, { emit }), async () => {
      if (chat.title === DEFAULT_TITLE) await this.#title(userId, chat);
    });
  }

  async decide(
    userId: string,
    chat: ChatRow,
    interruptId: string,
    decisions: ApprovalDecision[],
    alwaysAllow: string[],
  ): Promise<void> {
    this.#claim(chat.id, 'This chat is busy; your decision was not applied. Reload to see where it stands.');
    const handler = await this.#llm(userId, chat.id);
    if (alwaysAllow.length) {
      await this.chats.update(userId, chat.id, { alwaysAllowed: [...new Set([...chat.alwaysAllowed, ...alwaysAllow])] });
    }
    await this.#background(chat, (emit) => handler.decide(chat.threadId, interruptId, decisions, { emit }));
  }

  async retry(userId: string, chat: ChatRow): Promise<void> {
    this.#claim(chat.id, 'This chat is still answering.');
    const handler = await this.#llm(userId, chat.id);
    await this.#background(chat, (emit) => handler.retry(chat.threadId, { emit }));
  }

  async stop(userId: string, chat: ChatRow): Promise<boolean> {
    return (await this.handlers.llmFor(userId)).stop(chat.threadId);
  }

  /** Waits for runs in flight (graceful shutdown); their checkpoints make the rest resumable. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  #claim(chatId: string, busy: string): void {
    if (this.#active.has(chatId)) throw new TRPCError({ code: 'CONFLICT', message: busy });
    this.#active.add(chatId);
  }

  async #llm(userId: string, chatId: string) {
    try {
      return await this.handlers.llmFor(userId);
    } catch (error) {
      this.#active.delete(chatId);
      throw error;
    }
  }

  /**
   * Runs in the background and resolves once the run is accepted (its first event), so the caller
   * hears at once of a refusal (stale approval, invalid edit, missing chat) with the right code,
   * and otherwise follows the run through the event stream.
   */
  #background(
    chat: ChatRow,
    run: (emit: (e: ChatEvent) => void) => Promise<RunState>,
    after?: () => Promise<void>,
  ): Promise<void> {
    const { promise: accepted, resolve, reject } = Promise.withResolvers<void>();
    let started = false;
    const emit = (event: ChatEvent) => {
      started = true;
      resolve();
      this.hub.publish(chat.id, event);
    };
    const fail = (reason: string) =>
      emit({ type: 'run_state', threadId: chat.threadId, at: new Date().toISOString(), state: { status: 'failed', reason } });
    const done = (async () => {
      try {
        await run(emit);
        resolve();
        await this.chats.touch(chat.id);
        await after?.();
      } catch (error) {
        if (error instanceof AgentError && !started) {
          reject(toTrpcError(error));
        } else if (error instanceof AgentError) {
          fail(error.message);
        } else {
          this.log.error('chat run failed', { chatId: chat.id, error });
          fail('The run failed unexpectedly; try again.');
        }
      } finally {
        this.#active.delete(chat.id);
      }
    })();
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
    return accepted;
  }

  async #title(userId: string, chat: ChatRow): Promise<void> {
    try {
      const title = (await (await this.handlers.llmFor(userId)).suggestTitle(chat.threadId)).slice(0, 200);
      const current = await this.chats.get(userId, chat.id);
      // The person may have renamed it meanwhile; their title wins.
      if (current && current.title === DEFAULT_TITLE && title) await this.chats.update(userId, chat.id, { title });
    } catch (error) {
      this.log.warn('naming a chat failed', { chatId: chat.id, error });
    }
  }
}

const codes = {
  chat_not_found: 'NOT_FOUND',
  awaiting_approval: 'CONFLICT',
  approval_not_pending: 'CONFLICT',
  invalid_decision: 'BAD_REQUEST',
  nothing_to_retry: 'CONFLICT',
} as const;

function toTrpcError(error: AgentError): TRPCError {
  return new TRPCError({ code: codes[error.code], message: error.message, cause: error });
}
