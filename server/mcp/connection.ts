/**
 * One user's connection to one catalogue server. It connects on first use, caches the tool list
 * until the server says it changed, and when the server goes away it waits before the next
 * attempt (0.5 s, doubling to 30 s), so a dead server costs one quick failure per use rather
 * than a hang, and never touches the user's other connections.
 */
import { Client, type LoggingMessageNotificationParams, OAuthError, type Tool, UnauthorizedError } from '@modelcontextprotocol/client';
import pkg from '../../package.json' with { type: 'json' };
import type { ToolCallResult } from '../agent/tool-port.ts';
import type { Logger } from '../log.ts';
import { BoundaryError } from './boundary-error.ts';
import type { CatalogueEntry } from './catalogue-store.ts';
import { resolveHeaders } from './secrets.ts';
import { askForLevel, LevelledClient, logServerMessage, type ServerLogSink, serverLogMessage } from './server-log.ts';
import { callTool, failure } from './tool-call.ts';
import { type ResourceRead, readResource } from './resource-read.ts';
import { type FilledPrompt, getPrompt, listPrompts, type PromptListing } from './prompts.ts';
import { listResources, type ResourceListing } from './resource-list.ts';
import { type Completion, type CompletionRequest, complete } from './completion.ts';
import { type Outcome, requestFailure } from './request-outcome.ts';
import { ListCache } from './server-lists.ts';
import type { InProcessServer } from './in-process-server.ts';
import { CallClock } from './call-clock.ts';
import { CallsInProgress } from './calls-in-progress.ts';
import { type ActiveCall, answerServerRequests, requestCapabilities } from './server-requests.ts';
import { NeedsSignIn, type ServerAuth } from './oauth/server-auth.ts';
import { metadataRefused, refusedBy } from './oauth/refusal.ts';
import { type OpenedClient, openClient, type ServerProfile, type ToolClient } from './transports.ts';
import type { OfferedRoot } from './allowed-roots.ts';
import type { TrustBoundary } from './trust-boundary.ts';
import type { CallOptions, ServerState } from './types.ts';

/**
 * When an HTTP server dies, the SDK keeps a call waiting while it tries to resume the SSE stream;
 * these codes on a resume attempt mean nothing is listening any more, so the call fails now.
 */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** A server that has not finished its handshake, or listed its tools, by then is treated as down. */
const HANDSHAKE_TIMEOUT_MS = 15_000;

/** Why a connection could not be opened, in words that name the setting or the party that refused. */
function openFailure(serverName: string, error: unknown): string {
  // The legacy SSE transport wraps what its fetch threw, so a refusal there reads "could not be reached: SSE error: …", still naming the setting.
  const { message } = error as Error;
  if (error instanceof BoundaryError) return `${serverName} is not allowed on this server: ${message}`;
  if (error instanceof OAuthError) return `${serverName}: ${refusedBy(error)}`;
  const refused = metadataRefused(error);
  return refused ? `${serverName}: ${refused}` : `${serverName} could not be reached: ${message}`;
}

/** Thrown inside the MCP layer only; the handler turns it into a server state or a failed call. */
export class ServerUnavailable extends Error {
  override name = 'ServerUnavailable';
}

export interface ConnectionDeps {
  userId: string;
  log: Logger;
  toolTimeoutMs: number;
  ownOrigin: () => string;
  /** Checked at every connect, so an entry saved before the operator tightened a setting is refused too. */
  boundary: TrustBoundary;
  /** How the entry's auth mode proves who is calling. */
  auth: ServerAuth;
  userToken: () => Promise<string>;
  /** Reaches the built-in server without HTTP; absent, it is reached at /mcp like any other server. */
  inProcess?: InProcessServer;
  /** Era and transport verdicts shared by all users of a server, so only the first connect probes. */
  profiles: Map<string, ServerProfile>;
  /** The tool list changed, or the server went away or came back. */
  onToolsChanged: () => void;
  /** Called when the error to remember changes (`null`: connected again). */
  onErrorChanged: (error: string | null) => void;
  /** The server said its prompts or its resources changed. */
  onListChanged?: (list: 'prompts' | 'resources') => void;
  /** Keeps the server's log messages for admins; absent (an admin's connection test), they reach the log only. */
  serverLogs?: ServerLogSink;
  /** The roots to answer `roots/list` with, for a call in that chat (or for no call); absent, no roots are offered. */
  roots?: (chatId: string | undefined) => Promise<OfferedRoot[]>;
}

export class ServerConnection {
  #opened: OpenedClient | undefined;
  #connecting: Promise<OpenedClient> | undefined;
  #tools: Tool[] | undefined;
  #listing: Promise<Tool[]> | undefined;
  /** Bumped on every change notice, so a listing that raced a change is not cached. */
  #generation = 0;
  #failures = 0;
  #retryAt = 0;
  #lastError: string | undefined;
  /** The server wants this person to sign in: no retries until they have (each attempt costs one database read). */
  #mustSignIn = false;
  #closed = false;
  /** So what the server asks during a call reaches that call's person and chat. */
  readonly #calls = new CallsInProgress<ActiveCall>();
  readonly #prompts = new ListCache<PromptListing>();
  readonly #resources = new ListCache<ResourceListing>();

  constructor(
    readonly entry: CatalogueEntry,
    private readonly deps: ConnectionDeps,
  ) {}

  get serverId(): string {
    return this.entry.id;
  }

  state(): ServerState {
    const { id: serverId, name: serverName } = this.entry;
    if (this.#opened)
      return { serverId, serverName, status: 'connected', protocolVersion: this.#opened.client.getNegotiatedProtocolVersion() };
    if (this.#mustSignIn)
      return { serverId, serverName, status: 'needs_sign_in', error: this.#lastError ?? new NeedsSignIn(serverName).message };
    return {
      serverId,
      serverName,
      status: 'unavailable',
      error: this.#lastError ?? 'not connected yet',
      retryAt: this.#retryAt || undefined,
    };
  }

  /** The stdio server's process id while connected. */
  get pid(): number | undefined {
    return this.#opened?.pid;
  }

  async listTools(): Promise<Tool[]> {
    let opened: OpenedClient;
    try {
      opened = await this.#client();
    } catch (error) {
      // Signed out of the server after it listed its tools: they stay offered, and a call to one waits for the sign-in.
      if (this.#mustSignIn && this.#tools) return this.#tools;
      throw error;
    }
    if (this.#tools) return this.#tools;
    this.#listing ??= this.#fetchTools(opened).finally(() => (this.#listing = undefined));
    return this.#listing;
  }

  async callTool(name: string, args: Record<string, unknown>, options: CallOptions): Promise<ToolCallResult> {
    let opened: OpenedClient;
    try {
      opened = await this.#client();
    } catch (error) {
      return failure(this.#mustSignIn ? 'needs-sign-in' : 'unavailable', (error as Error).message);
    }
    const timeoutMs = options.timeoutMs ?? this.deps.toolTimeoutMs;
    const clock = new CallClock(timeoutMs, options.signal);
    const outcome = await this.#calls.run({ questions: options.questions, clock }, () =>
      callTool(opened.client, this.entry.name, name, args, { ...options, timeoutMs, clock }),
    );
    if (!outcome.ok && outcome.kind === 'needs-sign-in') {
      // Revoked or expired past refreshing while the connection was open: the call never ran.
      this.#signInNeeded(opened.client);
      return outcome;
    }
    if (outcome.ok || outcome.kind !== 'unavailable') return outcome;
    // Lost while the call ran: the reason it was dropped says more than "connection closed".
    if (this.#opened !== opened && this.#lastError) return failure('unavailable', `${this.#lastError}; the call did not finish`);
    // The session may be gone (crash, restart, expired session): reconnect on the next use.
    this.#lost(opened.client, outcome.message);
    return outcome;
  }

  readResource(uri: string): Promise<ResourceRead> {
    return this.#ask((opened) => readResource(opened.client, this.entry.name, uri, this.deps.toolTimeoutMs));
  }

  /** The server's prompts, listed once per session until it says they changed. */
  listPrompts(): Promise<PromptListing> {
    return this.#ask((opened) => this.#prompts.get(opened, () => listPrompts(opened.client, this.entry.name, HANDSHAKE_TIMEOUT_MS)));
  }

  getPrompt(name: string, args: Record<string, string>): Promise<FilledPrompt> {
    return this.#ask((opened) => getPrompt(opened.client, this.entry.name, name, args, this.deps.toolTimeoutMs));
  }

  /** The server's resources and templates, listed once per session until it says they changed. */
  listResources(): Promise<ResourceListing> {
    return this.#ask((opened) => this.#resources.get(opened, () => listResources(opened.client, this.entry.name, HANDSHAKE_TIMEOUT_MS)));
  }

  complete(request: CompletionRequest): Promise<Completion> {
    return this.#ask((opened) => complete(opened.client, this.entry.name, request, HANDSHAKE_TIMEOUT_MS));
  }

  /** The person's roots for this server changed: a connected server hears so, and asks for them again. */
  async rootsChanged(): Promise<void> {
    const client = this.#opened?.client;
    if (!(client instanceof Client) || !this.#offersRoots()) return;
    await client
      .sendRootsListChanged()
      .catch((error: unknown) => this.deps.log.debug('telling a server its roots changed failed', { serverId: this.serverId, error }));
  }

  /** Whether the server declared `resources` when this connection opened; false while it is not open. */
  offersResources(): boolean {
    return Boolean(this.#opened?.client.getServerCapabilities()?.resources);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const opened = this.#opened;
    this.#opened = undefined;
    this.#tools = undefined;
    await opened?.close().catch((error: unknown) => this.deps.log.debug('mcp close failed', { serverId: this.serverId, error }));
  }

  /**
   * One request other than a tool call, and what its failure means for the connection, as after a
   * call: a refused authorisation waits for the person, a lost session reconnects on the next use.
   */
  async #ask<T>(request: (opened: OpenedClient) => Promise<Outcome<T>>): Promise<Outcome<T>> {
    let opened: OpenedClient;
    try {
      opened = await this.#client();
    } catch (error) {
      return requestFailure(this.#mustSignIn ? 'needs-sign-in' : 'unavailable', (error as Error).message);
    }
    const outcome = await request(opened);
    if (!outcome.ok && outcome.kind === 'needs-sign-in') this.#signInNeeded(opened.client);
    if (!outcome.ok && outcome.kind === 'unavailable') this.#lost(opened.client, outcome.message);
    return outcome;
  }

  async #fetchTools(opened: OpenedClient): Promise<Tool[]> {
    const generation = this.#generation;
    try {
      // Without a cursor the SDK walks every page (following nextCursor) and returns them together.
      const { tools } = await opened.client.listTools(undefined, { timeout: HANDSHAKE_TIMEOUT_MS });
      if (generation === this.#generation && this.#opened === opened) this.#tools = tools;
      return tools;
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        this.#signInNeeded(opened.client);
        throw new ServerUnavailable(new NeedsSignIn(this.entry.name).message);
      }
      const message = `${this.entry.name} did not list its tools: ${(error as Error).message}`;
      this.#lost(opened.client, message);
      throw new ServerUnavailable(message);
    }
  }

  #client(): Promise<OpenedClient> {
    if (this.#opened) return Promise.resolve(this.#opened);
    if (this.#closed) return Promise.reject(new ServerUnavailable(`${this.entry.name} is disconnected`));
    if (!this.#connecting && !this.#mustSignIn && Date.now() < this.#retryAt) {
      const seconds = Math.ceil((this.#retryAt - Date.now()) / 1000);
      return Promise.reject(new ServerUnavailable(`${this.#lastError}; next attempt in ${seconds} s`));
    }
    this.#connecting ??= this.#open().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  async #open(): Promise<OpenedClient> {
    const { entry, deps } = this;
    let opened: OpenedClient;
    try {
      opened = await openClient({
        entry,
        headers: resolveHeaders(entry, deps.ownOrigin(), process.env, deps.boundary.limits.allowedSecretEnv),
        boundary: deps.boundary,
        userId: deps.userId,
        userToken: deps.userToken,
        auth: await deps.auth.forConnection(deps.userId, entry),
        urls: deps.auth.deps.urls,
        inProcess: deps.inProcess,
        profile: deps.profiles.get(entry.id),
        timeoutMs: HANDSHAKE_TIMEOUT_MS,
        newClient: (mode) => this.#newClient(mode),
        onStderr: (line) => deps.log.debug('mcp server stderr', { serverId: entry.id, line }),
      });
    } catch (error) {
      if (error instanceof NeedsSignIn || error instanceof UnauthorizedError) {
        this.#signInNeeded(undefined, error instanceof NeedsSignIn ? error.message : undefined);
        throw new ServerUnavailable(this.#lastError!);
      }
      this.#failed(openFailure(entry.name, error));
      throw new ServerUnavailable(this.#lastError!);
    }
    // The built-in server, reached in process, is shared by everyone: it is not a client of this connection's own.
    if (opened.client instanceof Client) await askForLevel(opened.client, entry.logLevel, deps.log, HANDSHAKE_TIMEOUT_MS);
    if (this.#closed) {
      await opened.close().catch(() => {});
      throw new ServerUnavailable(`${entry.name} is disconnected`);
    }
    // Only legacy verdicts are shared: a 2026 discover result belongs to one authorization context.
    if (opened.profile.prior?.kind === 'legacy') deps.profiles.set(entry.id, opened.profile);
    this.#opened = opened;
    this.#failures = 0;
    this.#retryAt = 0;
    this.#mustSignIn = false;
    if (this.#lastError !== undefined) {
      this.#lastError = undefined;
      deps.onErrorChanged(null);
      deps.onToolsChanged();
    }
    deps.log.debug('mcp connected', { serverId: entry.id, userId: deps.userId, protocol: opened.client.getNegotiatedProtocolVersion() });
    return opened;
  }

  #newClient(mode: 'auto' | 'legacy'): Client {
    const client = new LevelledClient(
      this.entry.logLevel,
      { name: 'countersign', version: pkg.version },
      {
        capabilities: { ...requestCapabilities(this.entry), ...(this.#offersRoots() ? { roots: { listChanged: true } } : {}) },
        versionNegotiation: { mode },
        // Works in both eras: a 2025 notification, or a 2026 subscriptions/listen stream.
        listChanged: {
          tools: {
            onChanged: (error, tools) => {
              if (this.#opened?.client !== client) return;
              this.#generation++;
              this.#tools = error ? undefined : (tools ?? undefined);
              this.deps.onToolsChanged();
            },
          },
          // Listed again when next asked for, within this layer's bounds; the SDK's own refresh walks every page.
          prompts: { autoRefresh: false, onChanged: () => this.#listChanged(client, 'prompts') },
          resources: { autoRefresh: false, onChanged: () => this.#listChanged(client, 'resources') },
        },
      },
    );
    client.setNotificationHandler('notifications/message', ({ params }) => this.#serverLogged(params));
    answerServerRequests(client, this.entry, this.#calls);
    const roots = this.deps.roots;
    if (roots && this.#offersRoots()) client.setRequestHandler('roots/list', async () => ({ roots: await roots(this.#chatInProgress()) }));
    client.onclose = () => this.#lost(client, `${this.entry.name} closed the connection`);
    client.onerror = (error) => {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && UNREACHABLE.has(code)) this.#lost(client, `${this.entry.name} stopped answering (${code})`);
      else if (error.message.startsWith('Maximum reconnection attempts')) this.#lost(client, `${this.entry.name} dropped its event stream`);
    };
    return client;
  }

  /** Roots are declared only to a server whose admin allows some, and only where someone answers for them. */
  #offersRoots(): boolean {
    return this.deps.roots !== undefined && this.entry.allowedRoots.length > 0;
  }

  /** The chat of the call a server's request arrived during; undefined outside any call. */
  #chatInProgress(): string | undefined {
    return this.#calls.current()?.questions?.chatId;
  }

  #listChanged(client: Client, list: 'prompts' | 'resources'): void {
    if (this.#opened?.client !== client) return;
    (list === 'prompts' ? this.#prompts : this.#resources).changed();
    this.deps.onListChanged?.(list);
  }

  #serverLogged(params: LoggingMessageNotificationParams): void {
    const message = serverLogMessage(params, this.entry.logLevel, { serverId: this.serverId, userId: this.deps.userId });
    if (!message) return;
    logServerMessage(this.deps.log, message);
    void this.deps.serverLogs?.record(message);
  }

  /** The live client died or misbehaved: drop it and schedule the next attempt. */
  #lost(client: ToolClient, reason: string): void {
    if (this.#opened?.client !== client) return;
    const opened = this.#opened;
    this.#opened = undefined;
    this.#tools = undefined;
    this.#generation++;
    this.#failed(reason);
    void opened.close().catch(() => {});
    this.deps.log.warn('mcp connection lost', { serverId: this.serverId, userId: this.deps.userId, reason });
    this.deps.onToolsChanged();
  }

  /** The server refused this person's authorisation, or they never gave one: wait for them to sign in. */
  #signInNeeded(client: ToolClient | undefined, message = new NeedsSignIn(this.entry.name).message): void {
    // The tools it listed stay known (#tools): the model keeps them, and their calls wait for the person instead of vanishing.
    if (client && this.#opened?.client === client) {
      const opened = this.#opened;
      this.#opened = undefined;
      void opened.close().catch(() => {});
    }
    this.#mustSignIn = true;
    if (message !== this.#lastError) {
      this.#lastError = message;
      this.deps.onErrorChanged(message);
    }
  }

  #failed(message: string): void {
    this.#failures++;
    this.#retryAt = Date.now() + Math.min(FIRST_RETRY_MS * 2 ** (this.#failures - 1), MAX_RETRY_MS);
    if (message !== this.#lastError) {
      this.#lastError = message;
      this.deps.onErrorChanged(message);
    }
  }
}
