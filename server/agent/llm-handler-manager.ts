/**
 * The in-memory registry of LLM handlers, one per person (user id → LLMHandler). `get` is the
 * "initialize" step: it creates the person's handler, compiled without tools until the MCP side
 * hands them over with `setTools`. Thread locks live here, shared by all handlers, so a thread
 * stays serialised even across a handler being evicted and recreated. When a handler is evicted
 * is decided with the person's MCP handler, in tools/user-handlers.ts.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import type { AuditLog } from '../audit/audit-store.ts';
import type { Logger } from '../log.ts';
import type { ChatSettingsSource } from './chat-settings.ts';
import { LLMHandler } from './llm-handler.ts';
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
  log: Logger;
}

interface Held {
  handler: LLMHandler;
  /** When it was last handed out, or last seen running (unix ms). */
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
      const handler = new LLMHandler({
        userId,
        model: this.#model,
        checkpointer: this.deps.checkpointer,
        chats: this.deps.chats,
        audit: this.deps.audit,
        caller: this.deps.toolCallerFor(userId),
        locks: this.#locks,
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
   * Idle: no run going, and not handed out since `since` (unix ms); true when there is no handler.
   * A run seen going counts as use, so a long run's idle time starts about when it ends.
   */
  idleSince(userId: string, since: number): boolean {
    const held = this.#handlers.get(userId);
    if (!held) return true;
    if (held.handler.busy) held.usedAt = Date.now();
    return !held.handler.busy && held.usedAt < since;
  }

  /** Forgets the person's handler (sign-out, idle eviction), stopping its runs; history stays in the checkpointer. */
  async remove(userId: string): Promise<void> {
    const held = this.#handlers.get(userId);
    this.#handlers.delete(userId);
    await held?.handler.close();
  }

  /** Stops every run; their checkpoints let the chats resume after the restart. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.#handlers.keys()].map((userId) => this.remove(userId)));
  }
}
