/**
 * The in-memory registry of LLM handlers, one per person (user id → LLMHandler). `get` is the
 * "initialize" step: it creates the person's handler, compiled without tools until the MCP side
 * hands them over with `setTools`. Thread locks live here, shared by all handlers, so a thread
 * stays serialised even across a handler being evicted and recreated. When a handler is evicted
 * is decided with the person's MCP handler, in tools/user-handlers.ts; whether a person has a run
 * going, and stopping it, is the chats' run registry's (whoever evicts a handler stops its runs there).
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import type { AuditLog } from '../audit/audit-store.ts';
import type { Logger } from '../log.ts';
import type { ChatModel } from './chat-models.ts';
import type { ChatSettingsSource } from './chat-settings.ts';
import { LLMHandler } from './llm-handler.ts';
import type { RunObserver } from './run-stream.ts';
import type { FileReader } from './file-port.ts';
import type { QuestionDesk } from './question-port.ts';
import { ThreadLocks } from './thread-lock.ts';
import type { ToolCaller } from './tool-port.ts';

export interface LLMHandlerManagerDeps {
  /** Called once, on the first handler, so a server nobody chats with never builds a model client. */
  model: () => BaseChatModel;
  checkpointer: BaseCheckpointSaver;
  chats: ChatSettingsSource;
  audit: AuditLog;
  /** What runs a person's tool calls: their MCP handler, looked up at call time. */
  toolCallerFor: (userId: string) => ToolCaller;
  questions: QuestionDesk;
  /** The chat's model with its reply capped (servers' sampling requests). */
  samplingModel: (maxTokens: number) => BaseChatModel;
  /** Where the files attached to messages are read when the model is asked. */
  files?: FileReader;
  /** The model a person's chat answers with (chat-models.ts); without it, `model` answers every chat. */
  modelFor?: (userId: string, threadId: string) => Promise<ChatModel>;
  /** Counts what runs do, for operators (metrics/). */
  observer?: RunObserver;
  log: Logger;
}

interface Held {
  handler: LLMHandler;
  /** When it was last handed out, or last seen with a run going (unix ms). */
  usedAt: number;
}

export class LLMHandlerManager {
  readonly #handlers = new Map<string, Held>();
  readonly #locks = new ThreadLocks();
  #model: BaseChatModel | undefined;

  constructor(private readonly deps: LLMHandlerManagerDeps) {}

  /** The person's handler, created on first use. */
  get(userId: string): LLMHandler {
    let held = this.#handlers.get(userId);
    if (!held) {
      this.#model ??= this.deps.model();
      const { modelFor } = this.deps;
      const handler = new LLMHandler({
        userId,
        model: this.#model,
        checkpointer: this.deps.checkpointer,
        chats: this.deps.chats,
        audit: this.deps.audit,
        caller: this.deps.toolCallerFor(userId),
        questions: this.deps.questions,
        samplingModel: this.deps.samplingModel,
        files: this.deps.files,
        ...(modelFor ? { modelFor: (threadId: string) => modelFor(userId, threadId) } : {}),
        locks: this.#locks,
        observer: this.deps.observer,
        log: this.deps.log.child({ userId }),
      });
      held = { handler, usedAt: 0 };
      this.#handlers.set(userId, held);
    }
    held.usedAt = Date.now();
    return held.handler;
  }

  /** The person's handler if it exists, without creating one. */
  peek(userId: string): LLMHandler | undefined {
    return this.#handlers.get(userId)?.handler;
  }

  get size(): number {
    return this.#handlers.size;
  }

  /** People with a handler. */
  userIds(): string[] {
    return [...this.#handlers.keys()];
  }

  /**
   * Idle: not handed out since `since` (unix ms); true when there is no handler. Whether a run is
   * going the caller asks the run registry; a run seen going counts as use (`markUsed`), so a long
   * run's idle time starts about when it ends.
   */
  idleSince(userId: string, since: number): boolean {
    const held = this.#handlers.get(userId);
    return !held || held.usedAt < since;
  }

  /** The person's handler was in use just now (a run of theirs is going). */
  markUsed(userId: string): void {
    const held = this.#handlers.get(userId);
    if (held) held.usedAt = Date.now();
  }

  /** Forgets the person's handler (sign-out, idle eviction); history stays in the checkpointer. */
  remove(userId: string): void {
    this.#handlers.delete(userId);
  }

  /** Forgets every handler (shutdown); the checkpoints let the chats resume after the restart. */
  shutdown(): void {
    this.#handlers.clear();
  }
}
