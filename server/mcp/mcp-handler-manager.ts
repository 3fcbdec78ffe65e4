/**
 * Hands out one MCPHandler per user, created on first use. `remove` closes and forgets one (their
 * connections stay remembered in the database, so the next use rebuilds it); when that happens is
 * decided with the person's LLM handler, in tools/user-handlers.ts. Catalogue changes reach
 * every user's handler here, and so does a person's connect or disconnect made through another
 * instance (the control channel's `connections-changed`). Once the control channel is back from
 * being down, every live handler is compared with the database, as those changes may have been lost.
 */
import { z } from 'zod';
import type { AppDatabase } from '../../db/database.ts';
import { type ControlChannel, controlTopic } from '../cluster/control-channel.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { NotesStore } from '../mcp-server/notes-store.ts';
import { createInternalMcpServer } from '../mcp-server/server.ts';
import { type McpUserTokens, sharedUserTokens } from '../mcp-server/user-token.ts';
import type { CatalogueChange, CatalogueEntry, CatalogueService } from './catalogue.ts';
import { ConnectionStore } from './connection-store.ts';
import { InProcessServer } from './in-process-server.ts';
import type { ServerAuth } from './oauth/server-auth.ts';
import { MCPHandler } from './mcp-handler.ts';
import { Listeners } from './listeners.ts';
import { ServerLogStore } from './server-log-store.ts';
import type { PersonRoots } from './person-roots.ts';
import type { ServerProfile } from './transports.ts';
import type { ServerState, ToolsChangedEvent } from './types.ts';

export interface ManagerDeps {
  db: AppDatabase;
  catalogue: CatalogueService;
  log: Logger;
  config: Pick<Config['mcp'], 'toolTimeoutMs'>;
  /** This server's own origin: the internal MCP server lives there, and only it receives user tokens. */
  origin: () => string;
  /** A person's connects and disconnects reach their handlers on every instance through it. */
  control: ControlChannel;
  /** How connections prove who is calling (per-person OAuth, client credentials). */
  auth: ServerAuth;
  /** What `roots/list` is answered with; absent, no server is offered roots. */
  roots?: PersonRoots;
}

/** The person connected or disconnected the server: their live handler on each instance follows. */
const connectionsChanged = controlTopic('connections-changed', z.object({ userId: z.string(), serverId: z.string() }));

/**
 * A person's authorisation for a server ended (they or an admin revoked it): each other instance
 * reopens that person's live connection, which then finds no token and asks them to sign in.
 */
const authorisationRevoked = controlTopic(
  'authorisation-revoked',
  z.object({ userId: z.string(), serverId: z.string(), from: z.string() }),
);

/** The person changed a chat's roots for a server: their live connection to it, on whichever instance, tells the server. */
const rootsChanged = controlTopic('roots-changed', z.object({ userId: z.string(), serverId: z.string(), from: z.string() }));

/** What a connection is opened with and known by; the entry's other fields are read afresh at every listing. */
const OPENED_WITH = [
  'name',
  'transport',
  'url',
  'command',
  'args',
  'env',
  'headers',
  'secretHeaders',
  'authMode',
  'oauthClientId',
  'oauthClientSecret',
  'oauthScopes',
  'oauthIssuer',
  'logLevel',
  // What the client declares: sampling where the admin allows it, roots where the admin allows some.
  'samplingPolicy',
  'allowedRoots',
] as const;

const openedAlike = (a: CatalogueEntry, b: CatalogueEntry) => OPENED_WITH.every((field) => Bun.deepEquals(a[field], b[field]));

export class MCPHandlerManager {
  /** Signs the per-user tokens the internal MCP server accepts. */
  readonly userTokens: McpUserTokens;
  /** How connections prove who is calling (per-person OAuth, client credentials). */
  readonly auth: ServerAuth;
  /** Any user's tools changed; the LLM side listens here to refresh what the model is offered. */
  readonly toolsChanged: Listeners<ToolsChangedEvent>;
  readonly #handlers = new Map<string, MCPHandler>();
  readonly #profiles = new Map<string, ServerProfile>();
  readonly #connections: ConnectionStore;
  /** One per instance: its per-second cap is this instance's. */
  readonly #serverLogs: ServerLogStore;
  readonly #inProcess: InProcessServer;
  readonly #unsubscribe: (() => void)[];
  /** Names this manager's own control messages, which it has already applied. */
  readonly #id = crypto.randomUUID();
  #closed = false;

  constructor(private readonly deps: ManagerDeps) {
    this.#connections = new ConnectionStore(deps.db);
    this.#serverLogs = new ServerLogStore(deps.db, deps.log);
    this.userTokens = sharedUserTokens(deps.db);
    this.auth = deps.auth;
    const notes = new NotesStore(deps.db);
    this.#inProcess = new InProcessServer(() => createInternalMcpServer(notes));
    this.toolsChanged = new Listeners((error) => deps.log.error('tools-changed listener failed', { error }));
    this.#unsubscribe = [
      deps.catalogue.changes.add((change) => this.#onCatalogueChange(change)),
      deps.control.on(connectionsChanged, ({ userId, serverId }) => void this.#onConnectionsChanged(userId, serverId)),
      deps.control.onResubscribed(() => this.#onResubscribed()),
      deps.control.on(authorisationRevoked, ({ userId, serverId, from }) => {
        if (from !== this.#id) void this.#reopen(userId, serverId);
      }),
      deps.control.on(rootsChanged, ({ userId, serverId, from }) => {
        if (from !== this.#id) void this.#tellRootsChanged(userId, serverId);
      }),
    ];
  }

  /**
   * Forgets the person's tokens for the server and closes their live connections to it, here at once
   * and on other instances over the control channel. False when they had none.
   */
  async revokeAuthorisation(userId: string, serverId: string): Promise<boolean> {
    const revoked = await this.auth.deps.authorisations.delete(userId, serverId);
    if (!revoked) return false;
    await this.#reopen(userId, serverId);
    await this.deps.control.publish(authorisationRevoked, { userId, serverId, from: this.#id });
    return true;
  }

  async #reopen(userId: string, serverId: string): Promise<void> {
    try {
      await this.#handlers.get(userId)?.reloadServer(serverId);
    } catch (error) {
      this.deps.log.error('closing a revoked connection failed', { userId, serverId, error });
    }
  }

  /**
   * The person changed a chat's roots for the server: their live connection to it tells the server,
   * here at once and on other instances over the control channel. The choice is in the database
   * already, so a lost announcement leaves only the server asking again later (at its next connect).
   */
  async rootsChanged(userId: string, serverId: string): Promise<void> {
    await this.#tellRootsChanged(userId, serverId);
    try {
      await this.deps.control.publish(rootsChanged, { userId, serverId, from: this.#id });
    } catch (error) {
      this.deps.log.error('announcing a roots change failed', { userId, serverId, error });
    }
  }

  async #tellRootsChanged(userId: string, serverId: string): Promise<void> {
    try {
      await this.#handlers.get(userId)?.rootsChanged(serverId);
    } catch (error) {
      this.deps.log.error('telling a server its roots changed failed', { userId, serverId, error });
    }
  }

  /** The user's handler, created on demand. */
  forUser(userId: string): MCPHandler {
    if (this.#closed) throw new Error('the MCP handler manager is closed');
    let handler = this.#handlers.get(userId);
    if (!handler) {
      const { catalogue, log, config, origin } = this.deps;
      handler = new MCPHandler(userId, {
        catalogue,
        connections: this.#connections,
        tokens: this.userTokens,
        inProcess: this.#inProcess,
        log: log.child({ userId }),
        toolTimeoutMs: config.toolTimeoutMs,
        ownOrigin: origin,
        profiles: this.#profiles,
        auth: this.deps.auth,
        serverLogs: this.#serverLogs,
        roots: this.deps.roots,
      });
      handler.toolsChanged.add((event) => this.toolsChanged.emit(event));
      this.#handlers.set(userId, handler);
    }
    return handler;
  }

  /** Connects the server for the person, and tells the person's handlers on every other instance. */
  async connect(userId: string, serverId: string): Promise<ServerState> {
    const state = await this.forUser(userId).connect(serverId);
    await this.#announce(userId, serverId);
    return state;
  }

  /** Disconnects the server for the person, and tells the person's handlers on every other instance. */
  async disconnect(userId: string, serverId: string): Promise<void> {
    await this.forUser(userId).disconnect(serverId);
    await this.#announce(userId, serverId);
  }

  /** The user's handler if it exists, without creating one. */
  peek(userId: string): MCPHandler | undefined {
    return this.#handlers.get(userId);
  }

  /** Users with a handler. */
  userIds(): string[] {
    return [...this.#handlers.keys()];
  }

  get handlerCount(): number {
    return this.#handlers.size;
  }

  /** Closes and forgets the user's handler; the next `forUser` builds a new one. */
  async remove(userId: string): Promise<void> {
    const handler = this.#handlers.get(userId);
    this.#handlers.delete(userId);
    await handler?.close().catch((error: unknown) => this.deps.log.warn('closing an mcp handler failed', { userId, error }));
  }

  async closeAll(): Promise<void> {
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    const handlers = [...this.#handlers.values()];
    this.#handlers.clear();
    await Promise.all(handlers.map((h) => h.close()));
    await this.#inProcess.close();
  }

  /** The choice is in the database already; a failed announcement leaves other instances to pick it up when they rebuild. */
  async #announce(userId: string, serverId: string): Promise<void> {
    try {
      await this.deps.control.publish(connectionsChanged, { userId, serverId });
    } catch (error) {
      this.deps.log.error('announcing a connection change failed', { userId, serverId, error });
    }
  }

  /** A live handler follows what the person chose through any instance. */
  async #onConnectionsChanged(userId: string, serverId: string): Promise<void> {
    const handler = this.#handlers.get(userId);
    if (!handler) return;
    try {
      const remembered = (await this.#connections.listForUser(userId)).some((row) => row.serverId === serverId);
      await this.#bringInLine(handler, serverId, remembered, await this.deps.catalogue.get(serverId));
    } catch (error) {
      this.deps.log.error('applying a connection change failed', { userId, serverId, error });
    }
  }

  /**
   * Connection and catalogue changes made while the control channel was down never arrived: every
   * live handler is brought in line with the database. The catalogue is read once for all.
   */
  async #onResubscribed(): Promise<void> {
    // Probing verdicts may be for settings changed unheard; the next connect to each server probes again.
    this.#profiles.clear();
    const catalogue = new Map((await this.deps.catalogue.list()).map((entry) => [entry.id, entry]));
    await Promise.all(
      [...this.#handlers.values()].map(async (handler) => {
        try {
          const remembered = new Set((await this.#connections.listForUser(handler.userId)).map((row) => row.serverId));
          const ids = [...new Set([...remembered, ...handler.openEntries().map((entry) => entry.id)])];
          const kept = await Promise.all(ids.map((id) => this.#bringInLine(handler, id, remembered.has(id), catalogue.get(id))));
          // Policies and approved definitions are read at every listing: one new listing applies any that changed.
          const serverId = ids.find((_, i) => kept[i]);
          if (serverId) await handler.toolsChanged.emit({ userId: handler.userId, serverId });
        } catch (error) {
          this.deps.log.error('catching up with the database failed', { userId: handler.userId, error });
        }
      }),
    );
  }

  /**
   * Opens, closes or reopens the server where the handler differs from the database: the person's
   * remembered choice, and the catalogue entry. Where it already matches (the instance the change
   * was made through), nothing happens. True when a live connection was kept as it was.
   */
  async #bringInLine(handler: MCPHandler, serverId: string, remembered: boolean, entry: CatalogueEntry | undefined): Promise<boolean> {
    const open = handler.openEntries().find((opened) => opened.id === serverId);
    const wanted = remembered && entry?.enabled === true;
    if (open && wanted) {
      if (openedAlike(open, entry)) return true;
      // Its settings changed: the probing verdict was for the old ones.
      this.#profiles.delete(serverId);
    } else if (!open && !wanted) {
      return false;
    }
    await handler.reloadServer(serverId);
    return false;
  }

  async #onCatalogueChange(change: CatalogueChange): Promise<void> {
    // Approvals and policies change what may be called, not how to reach the server.
    const reconnect = change.type !== 'tool-approved' && change.type !== 'policy-changed';
    if (reconnect) this.#profiles.delete(change.serverId);
    await Promise.all(
      [...this.#handlers.values()].map(async (handler) => {
        try {
          if (!reconnect) {
            if (handler.hasServer(change.serverId)) await handler.toolsChanged.emit({ userId: handler.userId, serverId: change.serverId });
          } else {
            await handler.reloadServer(change.serverId);
          }
        } catch (error) {
          this.deps.log.error('applying a catalogue change failed', { userId: handler.userId, change, error });
        }
      }),
    );
  }
}
