/**
 * The application's tables on PostgreSQL: the same tables, columns, indexes and foreign keys as
 * db/schema.ts, with native types (timestamptz, boolean, jsonb). tests/db/schema-types.test.ts
 * keeps both row types equal, which is what lets db/database.ts hand these tables to store code
 * typed for SQLite.
 */
import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { McpTool } from '../server/mcp/types.ts';
import type { FileKind } from '../shared/files.ts';
import type { ThemeChoice } from '../shared/settings.ts';
import type {
  AllowedRoot,
  Decision,
  McpAuthMode,
  McpLogLevel,
  ModelProvider,
  Role,
  SamplingPolicy,
  ToolPolicy,
  Transport,
  WaitingApproval,
} from './schema.ts';

/**
 * jsonb handed to Bun's SQL client as the value itself, which Bun serializes for a jsonb
 * parameter and parses on the way back. Drizzle's own jsonb column stringifies first, so with
 * Bun's client PostgreSQL stored every object as a JSON string (drizzle-team/drizzle-orm#4942).
 */
const jsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (value) => value,
  fromDriver: (value) => value,
});

/** Millisecond precision, as SQLite stores it, so a value read back equals the one written. */
const at = (name: string) => timestamp(name, { mode: 'date', precision: 3, withTimezone: true });
const createdAt = (name = 'created_at') => at(name).notNull().defaultNow();
/** Bytes as a Buffer, the type SQLite's blob column reads back. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => Buffer.from(value),
});
const updatedAt = () => at('updated_at').notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    tenantId: text('tenant_id'),
    email: text('email'),
    name: text('name'),
    role: text('role').$type<Role>().notNull().default('user'),
    disabled: boolean('disabled').notNull().default(false),
    /** What the person tells the model about themselves and how to answer, in every chat of theirs. */
    customInstructions: text('custom_instructions').notNull().default(''),
    locale: text('locale'),
    theme: text('theme').$type<ThemeChoice>().notNull().default('system'),
    groups: jsonb('groups').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    lastSignInAt: at('last_sign_in_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_issuer_subject').on(t.issuer, t.subject), index('users_email').on(t.email)],
);

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: at('expires_at').notNull(),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: at('last_used_at'),
    expiresAt: at('expires_at'),
    revokedAt: at('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
);

export const mcpServers = pgTable('mcp_servers', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  transport: text('transport').$type<Transport>().notNull(),
  url: text('url'),
  command: text('command'),
  args: jsonb('args').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  env: jsonb('env').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  headers: jsonb('headers').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  secretHeaders: jsonb('secret_headers').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  enabled: boolean('enabled').notNull().default(true),
  trusted: boolean('trusted').notNull().default(false),
  toolPolicies: jsonb('tool_policies').$type<Record<string, ToolPolicy>>().notNull().default(sql`'{}'::jsonb`),
  defaultPolicy: text('default_policy').$type<ToolPolicy>().notNull().default('ask'),
  pinnedTools: jsonb('pinned_tools').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  authMode: text('auth_mode').$type<McpAuthMode>().notNull().default('none'),
  oauthClientId: text('oauth_client_id'),
  oauthClientSecret: text('oauth_client_secret'),
  oauthScopes: text('oauth_scopes'),
  oauthIssuer: text('oauth_issuer'),
  logLevel: text('log_level').$type<McpLogLevel>().notNull().default('warning'),
  samplingPolicy: text('sampling_policy').$type<SamplingPolicy>().notNull().default('off'),
  samplingMaxTokens: integer('sampling_max_tokens').notNull().default(1024),
  allowedRoots: jsonb('allowed_roots').$type<AllowedRoot[]>().notNull().default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const mcpServerLogs = pgTable(
  'mcp_server_logs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    level: text('level').$type<McpLogLevel>().notNull(),
    logger: text('logger'),
    data: text('data').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('mcp_server_logs_server').on(t.serverId, t.id)],
);

export const mcpAuthorisations = pgTable(
  'mcp_authorisations',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    tokens: text('tokens').notNull(),
    scope: text('scope'),
    expiresAt: at('expires_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.serverId] }), index('mcp_authorisations_server').on(t.serverId)],
);

export const mcpOauthClients = pgTable(
  'mcp_oauth_clients',
  {
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    client: text('client').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.issuer] })],
);

export const mcpOauthFlows = pgTable(
  'mcp_oauth_flows',
  {
    state: text('state').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    flow: text('flow').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('mcp_oauth_flows_created').on(t.createdAt)],
);

export const identityTokens = pgTable('identity_tokens', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  tokens: text('tokens').notNull(),
  expiresAt: at('expires_at'),
  updatedAt: updatedAt(),
});

export const mcpConnections = pgTable(
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

export const chats = pgTable(
  'chats',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull().default('New chat'),
    threadId: text('thread_id').notNull().unique(),
    enabledServers: jsonb('enabled_servers').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    alwaysAllowed: jsonb('always_allowed').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    roots: jsonb('roots').$type<Record<string, string[]>>().notNull().default(sql`'{}'::jsonb`),
    /** What the owner tells the model in this chat only, after their own instructions. */
    systemPrompt: text('system_prompt').notNull().default(''),
    modelId: text('model_id').references(() => models.id, { onDelete: 'set null' }),
    pinnedAt: at('pinned_at'),
    archivedAt: at('archived_at'),
    waitingApproval: jsonb('waiting_approval').$type<WaitingApproval>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: at('deleted_at'),
  },
  (t) => [
    index('chats_owner_updated').on(t.ownerId, t.updatedAt),
    // Only chats waiting for an approval: the inbox and the approvals-waiting metric read these few.
    index('chats_waiting_approval').on(t.ownerId).where(sql`waiting_approval is not null and deleted_at is null`),
  ],
);

/** As on SQLite; searched through a GIN index on the text's tsvector ('simple': no language's stemming). */
export const messageSearch = pgTable(
  'message_search',
  {
    seq: integer('seq').primaryKey().generatedByDefaultAsIdentity(),
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
  (t) => [
    uniqueIndex('message_search_chat_message').on(t.chatId, t.messageId),
    index('message_search_owner').on(t.ownerId),
    index('message_search_text').using('gin', sql`to_tsvector('simple', ${t.text})`),
  ],
);

export const toolCallAudit = pgTable(
  'tool_call_audit',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    chatId: text('chat_id').references(() => chats.id, { onDelete: 'set null' }),
    serverId: text('server_id').references(() => mcpServers.id, { onDelete: 'set null' }),
    serverName: text('server_name').notNull(),
    tool: text('tool').notNull(),
    toolCallId: text('tool_call_id').notNull(),
    arguments: jsonb('arguments').$type<unknown>(),
    decision: text('decision').$type<Decision>().notNull(),
    decidedBy: text('decided_by'),
    reason: text('reason'),
    requestedAt: at('requested_at').notNull(),
    decidedAt: at('decided_at'),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
    outcome: text('outcome').$type<'ok' | 'error' | 'cancelled' | 'timeout' | 'skipped' | 'interrupted'>(),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('tool_call_audit_call').on(t.toolCallId),
    index('tool_call_audit_user_time').on(t.userId, t.requestedAt),
    index('tool_call_audit_time').on(t.requestedAt),
  ],
);

export const notes = pgTable(
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

export const userToolPreferences = pgTable(
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

export const heldToolDefinitions = pgTable(
  'held_tool_definitions',
  {
    serverId: text('server_id')
      .notNull()
      .references(() => mcpServers.id, { onDelete: 'cascade' }),
    toolName: text('tool_name').notNull(),
    definition: jsonb('definition').$type<McpTool>().notNull(),
    heldAt: createdAt('held_at'),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.toolName] })],
);

export const instanceSecrets = pgTable('instance_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

export const questions = pgTable(
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
    question: jsonb('question').$type<Record<string, unknown>>().notNull(),
    answer: jsonb('answer').$type<Record<string, unknown>>(),
    outcome: text('outcome'),
    createdAt: createdAt(),
    settledAt: at('settled_at'),
  },
  (t) => [index('questions_chat_open').on(t.chatId, t.outcome)],
);

export const models = pgTable('models', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  provider: text('provider').$type<ModelProvider>().notNull(),
  baseUrl: text('base_url'),
  modelId: text('model_id'),
  apiKey: text('api_key'),
  tokenScope: text('token_scope'),
  contextWindow: integer('context_window'),
  acceptsImages: boolean('accepts_images').notNull().default(false),
  toolCalls: boolean('tool_calls').notNull().default(true),
  enabled: boolean('enabled').notNull().default(true),
  isDefault: boolean('is_default').notNull().default(false),
  allowedRoles: jsonb('allowed_roles').$type<Role[]>().notNull().default(sql`'[]'::jsonb`),
  allowedGroups: jsonb('allowed_groups').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const modelUsage = pgTable(
  'model_usage',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    modelId: text('model_id').notNull(),
    modelName: text('model_name').notNull(),
    day: text('day').notNull(),
    answers: integer('answers').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.modelId, t.day] }), index('model_usage_day').on(t.day)],
);

export const chatFiles = pgTable(
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
    data: bytea('data').notNull(),
    text: text('text'),
    createdAt: createdAt(),
  },
  (t) => [index('chat_files_chat').on(t.chatId), index('chat_files_unsent').on(t.messageId, t.createdAt)],
);
