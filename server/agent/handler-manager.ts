/**
 * The in-memory registry of LLM handlers, one per person (user id → LLMHandler). `get` is the
 * "initialize" step: it creates the person's handler, compiled without tools, and has it load
 * them from the MCP side; whenever the MCP side reports that someone's tools changed, their
 * handler reloads them and recompiles. Thread locks live here, shared by all handlers, so a
 * thread stays serialised even across a handler being evicted and recreated.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { AuditStore, type AuditLog } from '../audit/audit-store.ts';
import { resolveLlmEndpoint, type EndpointOptions } from '../llm/endpoint.ts';
import type { Logger } from '../log.ts';
import type { Services } from '../services.ts';
import { DatabaseChatSettings, type ChatSettingsSource } from './chat-settings.ts';
import { LLMHandler } from './handler.ts';
import { createChatModel } from './model.ts';
import { ThreadLocks } from './thread-lock.ts';
import type { PersonalToolSource, ToolSources } from './tool-source.ts';

export interface LLMHandlerManagerDeps {
  /** Called once, on the first handler: the demo model's URL is known only once the server listens. */
  model: () => BaseChatModel;
  checkpointer: BaseCheckpointSaver;
  chats: ChatSettingsSource;
  audit: AuditLog;
  /** The MCP handler manager. */
  tools: ToolSources;
  log: Logger;
}

export class LLMHandlerManager {
  readonly #handlers = new Map<string, LLMHandler>();
  readonly #locks = new ThreadLocks();
  readonly #unsubscribe: () => void;
  #model: BaseChatModel | undefined;

  constructor(private readonly deps: LLMHandlerManagerDeps) {
    this.#unsubscribe = deps.tools.toolsChanged.add(({ userId }) => void this.#handlers.get(userId)?.refreshTools());
  }

  /** The person's handler, created on first use. */
  get(userId: string): LLMHandler {
    let handler = this.#handlers.get(userId);
    if (!handler) {
      this.#model ??= this.deps.model();
      handler = new LLMHandler({
        userId,
        model: this.#model,
        checkpointer: this.deps.checkpointer,
        chats: this.deps.chats,
        audit: this.deps.audit,
        source: this.#sourceFor(userId),
        locks: this.#locks,
        log: this.deps.log.child({ userId }),
      });
      this.#handlers.set(userId, handler);
      void handler.refreshTools();
    }
    return handler;
  }

  /** The person's handler if it exists, without creating one. */
  peek(userId: string): LLMHandler | undefined {
    return this.#handlers.get(userId);
  }

  get size(): number {
    return this.#handlers.size;
  }

  /** Forgets the person's handler (sign-out, idle eviction), stopping its runs; history stays in the checkpointer. */
  async remove(userId: string): Promise<void> {
    const handler = this.#handlers.get(userId);
    this.#handlers.delete(userId);
    await handler?.close();
  }

  /** Stops every run; their checkpoints let the chats resume after the restart. */
  async shutdown(): Promise<void> {
    this.#unsubscribe();
    await Promise.all([...this.#handlers.keys()].map((userId) => this.remove(userId)));
  }

  /** Looked up on every use: the MCP side closes idle handlers and makes new ones on demand. */
  #sourceFor(userId: string): PersonalToolSource {
    const { tools } = this.deps;
    return {
      listTools: () => tools.forUser(userId).listTools(),
      callTool: (name, args, options) => tools.forUser(userId).callTool(name, args, options),
    };
  }
}

/** The production wiring: the configured LLM provider, the app database for chats and the audit log. */
export function createLlmHandlerManager(
  services: Services,
  options: { checkpointer: BaseCheckpointSaver; tools: ToolSources; endpoint?: EndpointOptions },
): LLMHandlerManager {
  const manager = new LLMHandlerManager({
    model: () => createChatModel(resolveLlmEndpoint(services.config, services.origin, options.endpoint)),
    checkpointer: options.checkpointer,
    chats: new DatabaseChatSettings(services.db),
    audit: new AuditStore(services.db),
    tools: options.tools,
    log: services.log.child({ feature: 'agent' }),
  });
  // Registered after the database, so runs stop before it closes.
  services.lifecycle.onShutdown('agent runs', () => manager.shutdown());
  return manager;
}
