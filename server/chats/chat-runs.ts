/**
 * Runs of a chat as the API sees them: one at a time per chat, each streaming its events into
 * the chat's event hub (where every open tab and a reconnecting client find them). A send while
 * a run is going or an approval is pending is refused, never interleaved.
 *
 * The approval event reaches the person before the run that raised it has let go of the chat
 * (it still stores its checkpoint), so a quick decision on that approval
 * waits for the run (SETTLE_WAIT_MS at most) and then takes the chat over directly. Any other
 * decision while a run holds the chat (a second one on the same approval, or one during a run
 * that asked for nothing) is refused as a conflict.
 */
import type { ApprovalDecision, ChatEvent, RunState } from '../../shared/chat-events.ts';
import { DomainError } from '../domain-error.ts';
import type { UserHandlers } from '../handlers/user-handlers.ts';
import type { Logger } from '../log.ts';
import type { ChatRow, ChatStore } from './chat-store.ts';
import type { EventHub } from './event-hub.ts';

const DEFAULT_TITLE = 'New chat';
const DECISION_BUSY = 'This chat is busy; your decision was not applied. Reload to see where it stands.';
/** How long a decision waits for the run that asked for it to settle. */
const SETTLE_WAIT_MS = 10_000;

/** A run's hold on its chat. */
interface Claim {
  /** The approval this run has asked for, once it has. */
  raised?: string;
  /** A decision on `raised`, waiting to take the chat over the moment this run lets go. */
  heir?: (next: Claim) => void;
}

export class ChatRuns {
  /** Chats with a run in flight in this process (the thread lock serialises; this answers at once). */
  readonly #active = new Map<string, Claim>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    private readonly handlers: UserHandlers,
    private readonly chats: ChatStore,
    readonly hub: EventHub<ChatEvent>,
    /** LangGraph's history store, one thread per chat. */
    private readonly history: { deleteThread(threadId: string): Promise<void> },
    private readonly log: Logger,
  ) {}

  isActive(chatId: string): boolean {
    return this.#active.has(chatId);
  }

  /** Starts a turn; returns once it is accepted, while events stream to subscribers. */
  async send(userId: string, chat: ChatRow, text: string): Promise<void> {
    const claim = this.#claim(chat.id, 'This chat is still answering; wait for it or press Stop before sending again.');
    const handler = await this.#llm(userId, chat.id, claim);
    await this.#background(chat, claim, (emit) => handler.send(chat.threadId, text, { emit }), async () => {
      if (chat.title === DEFAULT_TITLE) await this.#title(userId, chat);
    });
  }

  /**
   * Answers an approval. The tools in `alwaysAllow` are stored for the chat only if the decision is
   * accepted, and only those of the approval that were not rejected (the handler checks both).
   */
  async decide(
    userId: string,
    chat: ChatRow,
    interruptId: string,
    decisions: ApprovalDecision[],
    alwaysAllow: string[],
  ): Promise<void> {
    const claim = this.#active.has(chat.id) ? await this.#succeed(chat.id, interruptId) : this.#claim(chat.id, DECISION_BUSY);
    const handler = await this.#llm(userId, chat.id, claim);
    const allowAlways = { tools: alwaysAllow, store: (alwaysAllowed: string[]) => this.chats.update(userId, chat.id, { alwaysAllowed }) };
    await this.#background(chat, claim, (emit) => handler.decide(chat.threadId, interruptId, decisions, { emit, allowAlways }));
  }

  async retry(userId: string, chat: ChatRow): Promise<void> {
    const claim = this.#claim(chat.id, 'This chat is still answering.');
    const handler = await this.#llm(userId, chat.id, claim);
    await this.#background(chat, claim, (emit) => handler.retry(chat.threadId, { emit }));
  }

  async stop(userId: string, chat: ChatRow): Promise<boolean> {
    return (await this.handlers.llmFor(userId)).stop(chat.threadId);
  }

  /** A deleted chat: its run stops, its events and its history (the checkpointer thread) go. */
  async forget(chat: ChatRow): Promise<void> {
    this.handlers.stopThread(chat.ownerId, chat.threadId);
    this.hub.drop(chat.id);
    await this.history.deleteThread(chat.threadId);
  }

  /** Waits for runs in flight (graceful shutdown); their checkpoints make the rest resumable. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  #claim(chatId: string, busy: string): Claim {
    if (this.#active.has(chatId)) throw new DomainError('conflict', busy);
    const claim: Claim = {};
    this.#active.set(chatId, claim);
    return claim;
  }

  /** Waits for the run holding the chat to let go, if it is the run that asked for `interruptId`. */
  #succeed(chatId: string, interruptId: string): Promise<Claim> {
    const current = this.#active.get(chatId);
    if (!current || current.raised !== interruptId || current.heir) throw new DomainError('conflict', DECISION_BUSY);
    const { promise, resolve, reject } = Promise.withResolvers<Claim>();
    const timer = setTimeout(() => {
      current.heir = undefined;
      reject(new DomainError('conflict', DECISION_BUSY));
    }, SETTLE_WAIT_MS);
    current.heir = (next) => {
      clearTimeout(timer);
      resolve(next);
    };
    return promise;
  }

  /** Hands the chat to the decision waiting for it, or frees it. */
  #release(chatId: string, claim: Claim): void {
    if (!claim.heir) {
      this.#active.delete(chatId);
      return;
    }
    const next: Claim = {};
    this.#active.set(chatId, next);
    claim.heir(next);
  }

  async #llm(userId: string, chatId: string, claim: Claim) {
    try {
      return await this.handlers.llmFor(userId);
    } catch (error) {
      this.#release(chatId, claim);
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
    claim: Claim,
    run: (emit: (e: ChatEvent) => void) => Promise<RunState>,
    after?: () => Promise<void>,
  ): Promise<void> {
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
        await run(emit);
        resolve();
        await this.chats.touch(chat.id);
        finished = true;
      } catch (error) {
        if (error instanceof DomainError && !started) {
          reject(error);
        } else if (error instanceof DomainError) {
          fail(error.message);
        } else {
          this.log.error('chat run failed', { chatId: chat.id, error });
          fail('The run failed unexpectedly; try again.');
        }
      } finally {
        this.#release(chat.id, claim);
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
      const title = (await (await this.handlers.llmFor(userId)).suggestTitle(chat.threadId)).slice(0, 200);
      const current = await this.chats.get(userId, chat.id);
      // The person may have renamed it meanwhile; their title wins.
      if (current && current.title === DEFAULT_TITLE && title) await this.chats.update(userId, chat.id, { title });
    } catch (error) {
      this.log.warn('naming a chat failed', { chatId: chat.id, error });
    }
  }
}
