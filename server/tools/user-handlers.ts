/**
 * The seed's two handler maps working as one: a person's MCP handler (their connections) and
 * LLM handler (their compiled graph). Whenever the person's tools change, they are listed once
 * and handed over, and the graph is recompiled. Held tools (definition changed since an admin
 * pinned it) never reach the model; per-chat selection and policy (deny hides a tool) are the
 * agent's to apply.
 *
 * The two live and die together. Both close when both have been idle for HANDLER_IDLE_MINUTES (a
 * run, a tool call or a connect going is never idle), and at once when the person's sessions end
 * (sign-out, disabled by an admin) unless a run is going, in which case the idle rule takes them
 * after it. Whether a run is going, and stopping it, is the run registry's (handed in by
 * server.ts). The next use rebuilds them and nothing is lost: connections are remembered in the
 * database, history and pending approvals are in the checkpointer.
 */
import type { LLMHandler } from '../agent/llm-handler.ts';
import type { LLMHandlerManager } from '../agent/llm-handler-manager.ts';
import type { Logger } from '../log.ts';
import type { MCPHandlerManager } from '../mcp/mcp-handler-manager.ts';
import type { ToolListing } from '../mcp/types.ts';

export interface UserHandlersOptions {
  /** How long both handlers must be idle before they are closed (config.mcp.handlerIdleMs). */
  idleMs: number;
}

/** What closing a person's handlers needs of the runs: the chats' run registry. */
export interface PeopleRuns {
  hasRunOf(userId: string): boolean;
  /** Stops the person's runs and waits until they have let go. */
  stopRunsOf(userId: string): Promise<void>;
}

export class UserHandlers {
  /** People whose LLM handler is being rebuilt: every caller waits for the same rebuild, tools included. */
  readonly #reviving = new Map<string, Promise<LLMHandler>>();
  readonly #sweep: ReturnType<typeof setInterval>;

  constructor(
    private readonly mcp: MCPHandlerManager,
    private readonly llm: LLMHandlerManager,
    private readonly runs: PeopleRuns,
    private readonly log: Logger,
    private readonly options: UserHandlersOptions,
  ) {
    mcp.toolsChanged.add(({ userId, lists }) => {
      // A server's prompts or resources changing leaves the model's tools as they are.
      if (lists && !lists.includes('tools')) return;
      if (llm.peek(userId)) void this.#syncLogged(userId);
    });
    const every = Math.max(100, Math.min(60_000, options.idleMs / 2));
    this.#sweep = setInterval(() => this.#closeIdle(), every);
    this.#sweep.unref();
  }

  /**
   * The person's LLM handler, created or revived (after idle eviction, sign-out or a restart) with
   * their tools in the graph: the seed's `initialize`, and what every run starts from.
   */
  llmFor(userId: string): Promise<LLMHandler> {
    const reviving = this.#reviving.get(userId);
    if (reviving) return reviving;
    if (this.llm.peek(userId)) return Promise.resolve(this.llm.get(userId));
    const revived = this.#revive(userId).finally(() => this.#reviving.delete(userId));
    this.#reviving.set(userId, revived);
    return revived;
  }

  mcpFor(userId: string) {
    return this.mcp.forUser(userId);
  }

  /** Connects a server for the person, then lists their tools once for the model and the caller. */
  async connect(userId: string, serverId: string): Promise<ToolListing> {
    await this.mcp.connect(userId, serverId);
    return this.#sync(userId);
  }

  /** Disconnects a server for the person, then lists their tools once for the model. */
  async disconnect(userId: string, serverId: string): Promise<void> {
    await this.mcp.disconnect(userId, serverId);
    await this.#sync(userId);
  }

  /**
   * Forgets the person's tokens for a server: their live connections (on every instance) close and
   * reopen on next use with nothing stored, asking them to sign in; the tools-changed notice that
   * follows brings the model in line. False when they had none.
   */
  revokeAuthorisation(userId: string, serverId: string): Promise<boolean> {
    return this.mcp.revokeAuthorisation(userId, serverId);
  }

  /** The person's sessions ended: their handlers close now, unless a run is going (the idle rule takes them after it). */
  release(userId: string): void {
    // Idle since the end of time: however recently they were used, only work going keeps them.
    if (this.#idle(userId, Number.POSITIVE_INFINITY)) void this.#close(userId, 'sessions ended');
  }

  /** Shutdown closes every handler itself; idle ones need no closing after that. */
  stopIdleSweep(): void {
    clearInterval(this.#sweep);
  }

  async #revive(userId: string): Promise<LLMHandler> {
    const handler = this.llm.get(userId);
    await this.#syncLogged(userId);
    return handler;
  }

  async #sync(userId: string): Promise<ToolListing> {
    const listing = await this.mcp.forUser(userId).listTools();
    const handler = this.llm.peek(userId);
    if (handler) {
      // Held and unavailable tools too: the agent never offers them, and can tell a model that calls one anyway why it did not run.
      handler.setTools(listing.tools);
      this.log.debug('graph recompiled', { userId, tools: handler.tools.length });
    }
    return listing;
  }

  async #syncLogged(userId: string): Promise<void> {
    try {
      await this.#sync(userId);
    } catch (error) {
      this.log.error('syncing tools to the model failed', { userId, error });
    }
  }

  #closeIdle(): void {
    const cutoff = Date.now() - this.options.idleMs;
    for (const userId of new Set([...this.mcp.userIds(), ...this.llm.userIds()])) {
      if (this.#idle(userId, cutoff)) void this.#close(userId, 'idle');
    }
  }

  /** Idle on both sides since `since` (unix ms): no run going, and not being rebuilt. */
  #idle(userId: string, since: number): boolean {
    if (this.runs.hasRunOf(userId)) {
      this.llm.markUsed(userId);
      return false;
    }
    return !this.#reviving.has(userId) && this.llm.idleSince(userId, since) && (this.mcp.peek(userId)?.idleSince(since) ?? true);
  }

  /** Both maps forget the person in this same step; the closing itself finishes afterwards. */
  async #close(userId: string, reason: string): Promise<void> {
    this.log.debug('closing a person’s handlers', { userId, reason });
    this.llm.remove(userId);
    try {
      await Promise.all([this.runs.stopRunsOf(userId), this.mcp.remove(userId)]);
    } catch (error) {
      this.log.warn('closing a person’s handlers failed', { userId, error });
    }
  }
}
