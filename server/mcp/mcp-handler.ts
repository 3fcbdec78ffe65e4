/**
 * One user's MCP side: a connection per catalogue server the user connected, the merged tool
 * list with unique names and pinning applied, and tool calls by unique name. Connections the
 * user made are remembered in the database and reopened lazily, on the first use after a restart.
 * `toolsChanged` reports changes the user did not ask for (a server's notice, an admin's edit, a
 * server coming back); `connect` and `disconnect` leave what follows from them to their caller.
 */
import type { ToolCaller, ToolCallResult } from '../agent/tool-port.ts';
import { DomainError } from '../domain-error.ts';
import type { Logger } from '../log.ts';
import type { McpUserTokens, SignedToken } from '../mcp-server/user-token.ts';
import type { CatalogueService } from './catalogue.ts';
import type { CatalogueEntry } from './catalogue-store.ts';
import type { ConnectionStore } from './connection-store.ts';
import { ServerConnection, ServerUnavailable } from './connection.ts';
import type { InProcessServer } from './in-process-server.ts';
import type { ServerAuth } from './oauth/server-auth.ts';
import { Listeners } from './listeners.ts';
import type { ServerLogSink } from './server-log.ts';
import type { PersonRoots } from './person-roots.ts';
import type { ResourceRead } from './resource-read.ts';
import { readForModel, resourceTool } from './resource-tool.ts';
import type { FilledPrompt, PromptListing } from './prompts.ts';
import type { ResourceListing } from './resource-list.ts';
import type { Completion, CompletionRequest } from './completion.ts';
import { type Outcome, requestFailure } from './request-outcome.ts';
import { failure } from './tool-call.ts';
import { applyPins, toMcpTool } from './tool-definition.ts';
import { serverSlug } from './tool-names.ts';
import type { ServerProfile } from './transports.ts';
import type { CallOptions, McpTool, ServerState, ToolListing, ToolsChangedEvent } from './types.ts';
import { inToolSpan, nameToolServer } from '../telemetry/tool-span.ts';

/** A refusal of a person's connect or call: no such server, disabled by an admin, or the handler was closed. */
export class McpHandlerError extends DomainError {
  constructor(code: 'not_found' | 'forbidden' | 'unavailable', message: string) {
    super(code, message);
    this.name = 'McpHandlerError';
  }
}

export const serverNotInCatalogue = (serverId: string) => new McpHandlerError('not_found', `No MCP server ${serverId} in the catalogue.`);

export interface HandlerDeps {
  catalogue: CatalogueService;
  connections: ConnectionStore;
  tokens: McpUserTokens;
  /** The built-in server, shared by every handler of this process. */
  inProcess: InProcessServer;
  log: Logger;
  toolTimeoutMs: number;
  ownOrigin: () => string;
  profiles: Map<string, ServerProfile>;
  /** How connections prove who is calling (per-person OAuth, client credentials). */
  auth: ServerAuth;
  /** Keeps servers' log messages for admins. */
  serverLogs: ServerLogSink;
  /** What `roots/list` is answered with; absent, no server is offered roots. */
  roots?: PersonRoots;
}

/** Re-mint the user token this long before it expires, so no request carries one about to lapse. */
const TOKEN_REFRESH_MARGIN_MS = 60_000;

/** Implements the agent's tool port: its listing's tools are `AgentTool`s, its calls the port's `callTool`. */
export class MCPHandler implements ToolCaller {
  readonly toolsChanged: Listeners<ToolsChangedEvent>;
  #connections = new Map<string, ServerConnection>();
  #restored: Promise<void> | undefined;
  #token: SignedToken | undefined;
  #inFlight = 0;
  #lastUsedAt = Date.now();
  #closed = false;

  constructor(
    readonly userId: string,
    private readonly deps: HandlerDeps,
  ) {
    this.toolsChanged = new Listeners((error) => deps.log.error('tools-changed listener failed', { userId, error }));
  }

  /** Idle means nothing under way (a call, a connect, a listing) and no use since `since` (unix ms). */
  idleSince(since: number): boolean {
    return this.#inFlight === 0 && this.#lastUsedAt < since;
  }

  /** Connects now and remembers the choice; a server that is down stays remembered and is retried later. */
  connect(serverId: string): Promise<ServerState> {
    return this.#using(async () => {
      const entry = await this.#catalogued(serverId);
      if (!entry.enabled) throw new McpHandlerError('forbidden', `${entry.name} is disabled by an admin`);
      await this.#restore();
      await this.deps.connections.remember(this.userId, serverId);
      const connection = this.#open(entry);
      // Opening the session fetches the raw tool list; the connection keeps it for the caller's listing.
      await connection.listTools().catch((error: unknown) => {
        if (!(error instanceof ServerUnavailable)) throw error;
      });
      return connection.state();
    });
  }

  /** Forgets the choice and closes the connection; a server the catalogue does not have is an error. */
  disconnect(serverId: string): Promise<void> {
    return this.#using(async () => {
      await this.#catalogued(serverId);
      await this.#restore();
      await this.deps.connections.forget(this.userId, serverId);
      const connection = this.#connections.get(serverId);
      this.#connections.delete(serverId);
      await connection?.close();
    });
  }

  /**
   * Re-reads a server after an admin changed, disabled or deleted it: the live connection closes,
   * and reopens (lazily, with the new settings) only if the user still has it and it is enabled.
   */
  async reloadServer(serverId: string): Promise<void> {
    const existing = this.#connections.get(serverId);
    this.#connections.delete(serverId);
    await existing?.close();
    const remembered = (await this.deps.connections.listForUser(this.userId)).some((r) => r.serverId === serverId);
    const entry = remembered ? await this.deps.catalogue.get(serverId) : undefined;
    if (entry?.enabled && !this.#closed) this.#open(entry);
    if (existing || entry?.enabled) this.#emit(serverId);
  }

  /** The person changed a chat's roots for the server: its live connection, if any, tells the server. */
  async rootsChanged(serverId: string): Promise<void> {
    await this.#connections.get(serverId)?.rootsChanged();
  }

  hasServer(serverId: string): boolean {
    return this.#connections.has(serverId);
  }

  /** The catalogue entry each live connection was opened with. */
  openEntries(): CatalogueEntry[] {
    return [...this.#connections.values()].map((connection) => connection.entry);
  }

  /** The servers this user is connected to (enabled ones), without contacting any of them. */
  serverIds(): Promise<string[]> {
    return this.#using(async () => {
      await this.#restore();
      return [...this.#connections.keys()];
    });
  }

  /** Every tool of every connected server, held ones flagged; servers that are down are listed with their error. */
  listTools(): Promise<ToolListing> {
    return this.#using(async () => {
      await this.#restore();
      const results = await Promise.all([...this.#connections.values()].map((c) => this.#listServer(c)));
      // Says how often a request lists a person's tools (each listing reads the catalogue and hashes every tool).
      this.deps.log.debug('tools listed', { userId: this.userId, servers: results.length });
      return { tools: results.flatMap((r) => r.tools), servers: results.map((r) => r.state) };
    });
  }

  callTool(uniqueName: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<ToolCallResult> {
    return inToolSpan(uniqueName, args, () => this.#callTool(uniqueName, args, options));
  }

  #callTool(uniqueName: string, args: Record<string, unknown>, options: CallOptions): Promise<ToolCallResult> {
    return this.#using(async () => {
      await this.#restore();
      // Only the tool's own server is consulted: another server being slow or down must not delay this call.
      const slug = uniqueName.split('__')[0];
      const connection = [...this.#connections.values()].find((c) => serverSlug(c.entry.name) === slug);
      if (!connection) return failure('unknown-tool', `no connected MCP server offers a tool named ${uniqueName}`);
      nameToolServer(connection.entry.name);
      const { tools, state } = await this.#listServer(connection);
      const tool = tools.find((t) => t.uniqueName === uniqueName);
      if (tool?.synthetic) return await readForModel(connection, args);
      if (!tool) {
        if (state.status === 'unavailable') return failure('unavailable', state.error);
        if (state.status === 'needs_sign_in') return failure('needs-sign-in', state.error);
        if (state.status === 'disabled') return failure('unavailable', `${state.serverName} is disabled by an admin`);
        return failure('unknown-tool', `${state.serverName} has no tool named ${uniqueName}`);
      }
      if (tool.held === 'changed')
        return failure('held', `${tool.name} on ${tool.serverName} is waiting for an administrator to review a changed definition`);
      if (tool.held === 'new')
        return failure('held', `${tool.name} on ${tool.serverName} is waiting for an administrator to review a new tool`);
      // Refused here, never sent: the server would fail it anyway.
      if (tool.unavailable) return failure('unavailable', `${tool.name} on ${tool.serverName} ${tool.unavailable}`);
      return await connection.callTool(tool.name, args, options);
    });
  }

  /** Reads a resource through this person's own connection to the server; a server they have not connected is not asked. */
  readResource(serverId: string, uri: string): Promise<ResourceRead> {
    return this.#askConnected(serverId, (connection) => connection.readResource(uri));
  }

  /** The server's prompts, through this person's own connection; a server they have not connected is not asked. */
  prompts(serverId: string): Promise<PromptListing> {
    return this.#askConnected(serverId, (connection) => connection.listPrompts());
  }

  getPrompt(serverId: string, name: string, args: Record<string, string>): Promise<FilledPrompt> {
    return this.#askConnected(serverId, (connection) => connection.getPrompt(name, args));
  }

  /** The server's resources and resource templates, through this person's own connection. */
  resources(serverId: string): Promise<ResourceListing> {
    return this.#askConnected(serverId, (connection) => connection.listResources());
  }

  complete(serverId: string, request: CompletionRequest): Promise<Completion> {
    return this.#askConnected(serverId, (connection) => connection.complete(request));
  }

  /** The state of each server this person's handler has opened (operators' gauge). */
  connectionStatuses(): ServerState['status'][] {
    return [...this.#connections.values()].map((connection) => connection.state().status);
  }

  /** A live connection's stdio process id; for status pages, and for tests that crash a server. */
  processId(serverId: string): number | undefined {
    return this.#connections.get(serverId)?.pid;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(connections.map((c) => c.close()));
  }

  /** Runs one use of the handler; while it runs the handler is not idle, so it is never closed under it. */
  async #using<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new McpHandlerError('unavailable', 'this MCP handler was closed; ask the manager for a new one');
    this.#inFlight++;
    try {
      return await work();
    } finally {
      this.#inFlight--;
      this.#lastUsedAt = Date.now();
    }
  }

  /** A request through this person's own connection to the server; refused unsent when the server is not catalogued, not connected, or disabled. */
  #askConnected<T>(serverId: string, request: (connection: ServerConnection) => Promise<Outcome<T>>): Promise<Outcome<T>> {
    return this.#using(async () => {
      await this.#restore();
      const entry = await this.deps.catalogue.get(serverId);
      if (!entry) return requestFailure('not-connected', serverNotInCatalogue(serverId).message);
      const connection = this.#connections.get(serverId);
      if (!connection) return requestFailure('not-connected', `You have not connected ${entry.name}.`);
      // An admin's disable reaches this handler a moment later (reloadServer): the catalogue decides now.
      if (!entry.enabled) return requestFailure('not-connected', `${entry.name} is disabled by an admin.`);
      return request(connection);
    });
  }

  async #catalogued(serverId: string): Promise<CatalogueEntry> {
    const entry = await this.deps.catalogue.get(serverId);
    if (!entry) throw serverNotInCatalogue(serverId);
    return entry;
  }

  #emit(serverId: string): void {
    void this.toolsChanged.emit({ userId: this.userId, serverId });
  }

  /** After a restart: recreate (without connecting) the connections the user had made. */
  #restore(): Promise<void> {
    this.#restored ??= (async () => {
      for (const row of await this.deps.connections.listForUser(this.userId)) {
        const entry = await this.deps.catalogue.get(row.serverId);
        if (entry?.enabled) this.#open(entry);
      }
    })().catch((error: unknown) => {
      this.#restored = undefined;
      throw error;
    });
    return this.#restored;
  }

  #open(entry: CatalogueEntry): ServerConnection {
    const existing = this.#connections.get(entry.id);
    if (existing) return existing;
    const { deps, userId } = this;
    const { roots } = deps;
    const connection = new ServerConnection(entry, {
      userId,
      log: deps.log,
      toolTimeoutMs: deps.toolTimeoutMs,
      ownOrigin: deps.ownOrigin,
      boundary: deps.catalogue.boundary,
      auth: deps.auth,
      userToken: () => this.#userToken(),
      inProcess: deps.inProcess,
      profiles: deps.profiles,
      serverLogs: deps.serverLogs,
      roots: roots && ((chatId) => roots.list(userId, entry.id, chatId)),
      onToolsChanged: () => this.#emit(entry.id),
      onListChanged: (list) => void this.toolsChanged.emit({ userId, serverId: entry.id, lists: [list] }),
      onErrorChanged: (error) =>
        void deps.connections
          .recordError(userId, entry.id, error)
          .catch((e: unknown) => deps.log.error('recording mcp error failed', { error: e })),
    });
    this.#connections.set(entry.id, connection);
    return connection;
  }

  async #listServer(connection: ServerConnection): Promise<{ tools: McpTool[]; state: ServerState }> {
    const entry = await this.deps.catalogue.get(connection.serverId);
    if (!entry?.enabled) {
      const name = entry?.name ?? connection.entry.name;
      return { tools: [], state: { serverId: connection.serverId, serverName: name, status: 'disabled' } };
    }
    let raw: Awaited<ReturnType<ServerConnection['listTools']>>;
    try {
      raw = await connection.listTools();
    } catch (error) {
      if (!(error instanceof ServerUnavailable)) throw error;
      return { tools: [], state: connection.state() };
    }
    const tools = raw.map((t) => toMcpTool(entry, t));
    let pinned = applyPins(tools, entry.pinnedTools);
    if (pinned.firstSight) {
      const pins = await this.deps.catalogue.pinFirstSight(entry.id, pinned.firstSight);
      pinned = applyPins(tools, pins);
    }
    await Promise.all(pinned.tools.filter((tool) => tool.held).map((tool) => this.deps.catalogue.noteHeld(tool)));
    // Added after pinning: its definition is Countersign's, never held for an admin's review.
    const reader = connection.offersResources() ? resourceTool(entry, pinned.tools) : undefined;
    return { tools: reader ? [...pinned.tools, reader] : pinned.tools, state: connection.state() };
  }

  async #userToken(): Promise<string> {
    if (!this.#token || this.#token.expiresAt - Date.now() < TOKEN_REFRESH_MARGIN_MS) {
      this.#token = await this.deps.tokens.sign(this.userId);
    }
    return this.#token.token;
  }
}
