/**
 * The application's tables on SQLite. db/schema.pg.ts declares the same tables for PostgreSQL;
 * tests/db/schema-types.test.ts keeps their row types equal, so store code is written once.
 * Dates are stored as unix milliseconds.
 */
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { McpTool } from '../server/mcp/types.ts';
import type { FileKind } from '../shared/files.ts';
import type { ThemeChoice } from '../shared/settings.ts';

const createdAt = (name = 'created_at') => integer(name, { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);
const updatedAt = () => integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export type Role = 'user' | 'admin';
export type Transport = 'streamable-http' | 'sse' | 'stdio';
export type ToolPolicy = 'ask' | 'auto' | 'deny';
export type Decision = 'approved' | 'edited' | 'rejected' | 'auto' | 'denied';
/**
 * How Countersign proves who is calling an HTTP MCP server: nothing; a static secret header the
 * admin set (everyone shares it); each person's own OAuth sign-in at the server's authorisation
 * server; each person's Entra ID sign-in exchanged on their behalf (on-behalf-of); or one service
 * identity (OAuth client credentials).
 */
export type McpAuthMode = 'none' | 'static' | 'oauth' | 'on-behalf-of' | 'client-credentials';
/** MCP's log levels (the RFC 5424 severities), least severe first. */
/** Whether a server may use the chat's model (MCP sampling): never, after the person approves, or without asking. */
export type SamplingPolicy = 'off' | 'ask' | 'allowed';
/** A directory or location an admin lets people offer a server as an MCP root. */
export interface AllowedRoot {
  uri: string;
  name?: string;
}
/** An approval a chat waits for, as the person's approval inbox lists it: set when it is raised, cleared once it is answered. */
export interface WaitingApproval {
  interruptId: string;
  /** ISO time it was raised. */
  since: string;
  /** The titles of the tools it asks about, in order. */
  tools: string[];
}
export type McpLogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';
/** How a catalogue model is reached (server/llm/endpoint.ts): the offline demo, an OpenAI-compatible server, or one behind Azure AD. */
export type ModelProvider = 'demo' | 'openai' | 'azure-ad';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** The identity provider's issuer; users are keyed by issuer + subject. */
    issuer: text('issuer').notNull(),
    /** Entra ID object id (`oid`), or `sub` for other providers. */
    subject: text('subject').notNull(),
    tenantId: text('tenant_id'),
    email: text('email'),
    name: text('name'),
    role: text('role').$type<Role>().notNull().default('user'),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    /** What the person tells the model about themselves and how to answer, in every chat of theirs. */
    customInstructions: text('custom_instructions').notNull().default(''),
    /** The language the person chose for the web chat and console (a BCP 47 tag); null follows the browser's. */
    locale: text('locale'),
    theme: text('theme').$type<ThemeChoice>().notNull().default('system'),
    /** The groups (Entra ID: object ids) the person's ID token named at their latest sign-in. */
    groups: text('groups', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    lastSignInAt: integer('last_sign_in_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_issuer_subject').on(t.issuer, t.subject), index('users_email').on(t.email)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the session token, hex; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Tokens an admin issues so another service can use the typed client. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The service account the token acts as. */
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
);

export const mcpServers = sqliteTable('mcp_servers', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  transport: text('transport').$type<Transport>().notNull(),
  /** For streamable-http and sse. */
  url: text('url'),
  /** For stdio: only admins define commands. */
  command: text('command'),
  args: text('args', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  env: text('env', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
  /** Plain headers sent to the server. */
  headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
  /**
   * Header name → secret reference (`env:NAME` or a stored secret id). Secrets are write-only:
   * the value is resolved on the server when connecting and never returned to any client.
   */
  secretHeaders: text('secret_headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Annotations from a trusted server may suggest a default policy; untrusted ones never relax it. */
  trusted: integer('trusted', { mode: 'boolean' }).notNull().default(false),
  /** Tool name → policy; tools not listed use `defaultPolicy`. */
  toolPolicies: text('tool_policies', { mode: 'json' }).$type<Record<string, ToolPolicy>>().notNull().default(sql`'{}'`),
  defaultPolicy: text('default_policy').$type<ToolPolicy>().notNull().default('ask'),
  /** Tool name → hash of the definition an admin accepted (tool pinning). */
  pinnedTools: text('pinned_tools', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
  authMode: text('auth_mode').$type<McpAuthMode>().notNull().default('none'),
  /** A client registered by an admin at the server's authorisation server; without it, CIMD or dynamic registration. */
  oauthClientId: text('oauth_client_id'),
  /** Sealed (crypto/token-cipher.ts); write-only: never returned to any client. */
  oauthClientSecret: text('oauth_client_secret'),
  /** Space-separated scopes to ask for; null: the server's challenge or its metadata decide. */
  oauthScopes: text('oauth_scopes'),
  /** The authorisation server the admin's client is registered at: its secret goes to no other. */
  oauthIssuer: text('oauth_issuer'),
  /** The least severe log message the server is asked to send (and that is kept). */
  logLevel: text('log_level').$type<McpLogLevel>().notNull().default('warning'),
  samplingPolicy: text('sampling_policy').$type<SamplingPolicy>().notNull().default('off'),
  /** The most tokens one sampling reply may have, whatever the server asks for. */
  samplingMaxTokens: integer('sampling_max_tokens').notNull().default(1024),
  /** The roots people may offer this server (none by default); each chat offers those its owner chose. */
  allowedRoots: text('allowed_roots', { mode: 'json' }).$type<AllowedRoot[]>().notNull().default(sql`'[]'`),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Log messages MCP servers sent (notifications/message), for admins: the newest 200 per server,
 * at most about 20 a second per server and instance.
 */
export const mcpServerLogs = sqliteTable(
  'mcp_server_logs',
  {
    /** Increasing, so the newest are found, and the older pruned, by index. */
    id: integer('id').primaryKey({ autoIncrement: true }),
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    /** Whose connection received it; kept (as null) after the person is deleted. */
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    level: text('level').$type<McpLogLevel>().notNull(),
    logger: text('logger'),
    /** The message's data as text (JSON unless it was a string), cut to 2,048 characters. */
    data: text('data').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('mcp_server_logs_server').on(t.serverId, t.id)],
);

/** A person's OAuth tokens for one catalogue server, sealed; gone with the person, the server, or a revocation. */
export const mcpAuthorisations = sqliteTable(
  'mcp_authorisations',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    /** The authorisation server that issued them: tokens never outlive a move to another one. */
    issuer: text('issuer').notNull(),
    /** Sealed JSON of the token response (access and refresh tokens). */
    tokens: text('tokens').notNull(),
    /** What was granted, in the clear: shown to the person and to admins. */
    scope: text('scope'),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.serverId] }), index('mcp_authorisations_server').on(t.serverId)],
);

/** The client Countersign registered (dynamically) at a server's authorisation server, shared by everyone. */
export const mcpOauthClients = sqliteTable(
  'mcp_oauth_clients',
  {
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    /** Sealed JSON of the registration response (it may hold a client secret). */
    client: text('client').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.issuer] })],
);

/** A sign-in at an MCP server's authorisation server that has started and not come back yet (minutes at most). */
export const mcpOauthFlows = sqliteTable(
  'mcp_oauth_flows',
  {
    /** The OAuth `state`: random, the only key the callback has. */
    state: text('state').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    /** Sealed JSON: the PKCE verifier, where to return, what was asked. */
    flow: text('flow').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('mcp_oauth_flows_created').on(t.createdAt)],
);

/** A person's own sign-in tokens, sealed, kept only to exchange them on their behalf (Entra ID on-behalf-of). */
export const identityTokens = sqliteTable('identity_tokens', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  tokens: text('tokens').notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
  updatedAt: updatedAt(),
});

/** Which catalogue servers a user has connected; the handler reconnects lazily after a restart. */
export const mcpConnections = sqliteTable(
  'mcp_connections',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    connectedAt: createdAt(),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('mcp_connections_user_server').on(t.userId, t.serverId), index('mcp_connections_server').on(t.serverId)],
);

export const chats = sqliteTable(
  'chats',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull().default('New chat'),
    /** The LangGraph thread holding this chat's history in the checkpointer. */
    threadId: text('thread_id').notNull().unique(),
    /** Catalogue server ids whose tools the model sees in this chat. */
    enabledServers: text('enabled_servers', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Tools the owner chose to "always allow in this chat" (unique tool names). */
    alwaysAllowed: text('always_allowed', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Server id → the root URIs (of those its admin allows) the owner offers that server in this chat. */
    roots: text('roots', { mode: 'json' }).$type<Record<string, string[]>>().notNull().default(sql`'{}'`),
    /** What the owner tells the model in this chat only, after their own instructions. */
    systemPrompt: text('system_prompt').notNull().default(''),
    /** The catalogue model the owner chose for this chat; null (or gone): the catalogue's default. */
    modelId: text('model_id').references(() => models.id, { onDelete: 'set null' }),
    /** Pinned chats head the list, most recently pinned first. */
    pinnedAt: integer('pinned_at', { mode: 'timestamp_ms' }),
    /** Archived chats leave the list and stay searchable. */
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
    /** The approval this chat waits for, if any: the inbox reads it instead of every chat's checkpoint. */
    waitingApproval: text('waiting_approval', { mode: 'json' }).$type<WaitingApproval>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('chats_owner_updated').on(t.ownerId, t.updatedAt),
    // Only chats waiting for an approval: the inbox and the approvals-waiting metric read these few.
    index('chats_waiting_approval').on(t.ownerId).where(sql`waiting_approval is not null and deleted_at is null`),
  ],
);

/**
 * The text of every message written to a chat, for search: written as messages are, so a query
 * never reads checkpoints. On SQLite an FTS5 table (message_search_fts, kept in step by triggers,
 * migration 0008) indexes `text`; on PostgreSQL a GIN index on its tsvector does.
 */
export const messageSearch = sqliteTable(
  'message_search',
  {
    /** Stable row id: FTS5's external content is keyed by it, and an implicit rowid may change on VACUUM. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    chatId: text('chat_id')
      .notNull()
      .references(() => chats.id, { onDelete: 'cascade' }),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    role: text('role').$type<'user' | 'assistant'>().notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('message_search_chat_message').on(t.chatId, t.messageId), index('message_search_owner').on(t.ownerId)],
);

export const toolCallAudit = sqliteTable(
  'tool_call_audit',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    chatId: text('chat_id').references(() => chats.id, { onDelete: 'set null' }),
    serverId: text('server_id').references(() => mcpServers.id, { onDelete: 'set null' }),
    /** Server name kept as written, so the log stays readable after a server is deleted. */
    serverName: text('server_name').notNull(),
    tool: text('tool').notNull(),
    toolCallId: text('tool_call_id').notNull(),
    arguments: text('arguments', { mode: 'json' }).$type<unknown>(),
    decision: text('decision').$type<Decision>().notNull(),
    decidedBy: text('decided_by'),
    reason: text('reason'),
    requestedAt: integer('requested_at', { mode: 'timestamp_ms' }).notNull(),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    /** `interrupted`: started, then the server stopped before it finished; whether it took effect is unknown. */
    outcome: text('outcome').$type<'ok' | 'error' | 'cancelled' | 'timeout' | 'skipped' | 'interrupted'>(),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('tool_call_audit_call').on(t.toolCallId),
    index('tool_call_audit_user_time').on(t.userId, t.requestedAt),
    index('tool_call_audit_time').on(t.requestedAt),
  ],
);

/** Notes kept by the built-in MCP server's notes tools; each user sees only their own. */
export const notes = sqliteTable(
  'notes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('notes_user_created').on(t.userId, t.createdAt)],
);

/** A person's own stricter setting for a tool: they may tighten what the admin set, never loosen it. */
export const userToolPreferences = sqliteTable(
  'user_tool_preferences',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    toolName: text('tool_name').notNull(),
    policy: text('policy').$type<Exclude<ToolPolicy, 'auto'>>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('user_tool_preferences_key').on(t.userId, t.serverId, t.toolName)],
);

/** A tool definition that changed from its pinned one, kept until an admin approves or rejects it. */
export const heldToolDefinitions = sqliteTable(
  'held_tool_definitions',
  {
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    toolName: text('tool_name').notNull(),
    definition: text('definition', { mode: 'json' }).$type<McpTool>().notNull(),
    heldAt: createdAt('held_at'),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.toolName] })],
);

/** Secrets every instance must share (the internal MCP server's signing key), created once. */
export const instanceSecrets = sqliteTable('instance_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * What a server asked a person during a running tool call (shared/questions.ts), kept so every tab
 * and instance shows it and any instance can take the answer; the instance running the call
 * waits for it. Gone with the chat.
 */
export const questions = sqliteTable(
  'questions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    chatId: text('chat_id')
      .notNull()
      .references(() => chats.id, { onDelete: 'cascade' }),
    toolCallId: text('tool_call_id').notNull(),
    /** The question as the chat shows it (PendingQuestion), JSON. */
    question: text('question', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** Null while it waits; then the person's answer (QuestionAnswer) or how it was withdrawn. */
    answer: text('answer', { mode: 'json' }).$type<Record<string, unknown>>(),
    outcome: text('outcome'),
    createdAt: createdAt(),
    settledAt: integer('settled_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('questions_chat_open').on(t.chatId, t.outcome)],
);

/**
 * The models admins offer (server/models/): where each lives, how to authenticate to it, what it can
 * do and who may use it. The LLM_* settings seed the first entry when there is none.
 */
export const models = sqliteTable('models', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  provider: text('provider').$type<ModelProvider>().notNull(),
  /** For openai and azure-ad. */
  baseUrl: text('base_url'),
  /** The model name, or the deployment id on Azure; null: the provider's default. */
  modelId: text('model_id'),
  /** The openai provider's API key, sealed (crypto/token-cipher.ts); write-only: never returned to any client. */
  apiKey: text('api_key'),
  /** For azure-ad: the scope the client-credentials token is asked for. */
  tokenScope: text('token_scope'),
  /** Tokens the model reads at once, as the admin states it; null: not stated. */
  contextWindow: integer('context_window'),
  acceptsImages: integer('accepts_images', { mode: 'boolean' }).notNull().default(false),
  toolCalls: integer('tool_calls', { mode: 'boolean' }).notNull().default(true),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** The one model a chat uses when its owner has chosen none (the store keeps at most one). */
  isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  /** The roles that may use it; empty, with allowedGroups empty too: everyone. */
  allowedRoles: text('allowed_roles', { mode: 'json' }).$type<Role[]>().notNull().default(sql`'[]'`),
  /** The groups (ids or names, as the ID token sends them) whose members may use it, besides allowedRoles. */
  allowedGroups: text('allowed_groups', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Tokens the models' endpoints reported, summed per person, model and UTC day: what admins read usage from. */
export const modelUsage = sqliteTable(
  'model_usage',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** No foreign key: usage outlives a model removed from the catalogue. */
    modelId: text('model_id').notNull(),
    /** The model's name when it last answered, for usage of a model since removed. */
    modelName: text('model_name').notNull(),
    /** YYYY-MM-DD, UTC. */
    day: text('day').notNull(),
    answers: integer('answers').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.modelId, t.day] }), index('model_usage_day').on(t.day)],
);

/**
 * Files people attach to their messages, kept with the chat they were uploaded to and gone with
 * it. `message_id` is null until a message carries the file; an unsent upload may be removed or
 * swept. `text` is what the model is given: the file's own text, or a PDF's extracted text.
 */
export const chatFiles = sqliteTable(
  'chat_files',
  {
    id: text('id').primaryKey(),
    chatId: text('chat_id')
      .notNull()
      .references(() => chats.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    messageId: text('message_id'),
    name: text('name').notNull(),
    mediaType: text('media_type').notNull(),
    kind: text('kind').$type<FileKind>().notNull(),
    size: integer('size').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    text: text('text'),
    createdAt: createdAt(),
  },
  (t) => [index('chat_files_chat').on(t.chatId), index('chat_files_unsent').on(t.messageId, t.createdAt)],
);
