/**
 * Configuration, read once at start-up from the environment (and an optional `.env`,
 * which Bun loads before any code runs). Every setting has a default, so the product
 * runs with none at all; a bad value stops start-up with a message naming the setting.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseKey } from './crypto/encryption-key.ts';
import type { FileLimits } from '../shared/files.ts';

export interface TracesConfig {
  otel:
    | {
        url: string;
        headers: string | undefined;
        serviceName: string;
        resourceAttributes: string | undefined;
        sampler: string;
        samplerRatio: number;
      }
    | undefined;
  captureToolArguments: boolean;
  slowDbMs: number;
}

/** Which WebSocket frames go out compressed: memory or bytes (trpc/socket-compression.ts says what each costs). */
export const SOCKET_COMPRESSION_MODES = ['large-frames', 'every-frame', 'off'] as const;
export type SocketCompressionMode = (typeof SOCKET_COMPRESSION_MODES)[number];

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const encryptionKey = z.string().transform((v, ctx) => {
  try {
    return parseKey(v);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const devAccounts = z
  .string()
  .transform((v, ctx) => {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON array like [{"name":"Ada Admin","email":"ada@example.dev","role":"admin"}]',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(
        z.object({
          name: z.string().min(1),
          email: z.email(),
          role: z.enum(['user', 'admin']).default('user'),
          groups: z.array(z.string().min(1)).optional(),
        }),
      )
      .min(1),
  );

/** One entry per environment variable: the name is the contract documented in the README. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: httpUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_PATH: z.string().min(1).optional(),
  CHECKPOINT_DATABASE_PATH: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  DRAIN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  MAX_REQUEST_BODY_BYTES: positiveInt.default(1_048_576),
  WEBSOCKET_COMPRESSION: z.enum(SOCKET_COMPRESSION_MODES).default('large-frames'),
  FILE_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  MESSAGE_FILES_MAX_BYTES: positiveInt.default(25 * 1024 * 1024),
  MESSAGE_MAX_FILES: positiveInt.default(10),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (openssl rand -hex 32)').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // OpenTelemetry's standard variables (telemetry/tracing.ts); traces are off without an endpoint.
  OTEL_SDK_DISABLED: bool.default(false),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('countersign'),
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  // Countersign's own: tool arguments may hold personal data, so spans leave them out unless asked.
  OTEL_CAPTURE_TOOL_ARGUMENTS: bool.default(false),
  OTEL_SLOW_DB_MS: z.coerce.number().int().min(0).default(100),

  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL identifier')
    .default('public'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'must be 1–64 letters, digits, or _ : . -')
    .default('countersign:'),
  RUN_LEASE_SECONDS: z.coerce.number().int().min(2).max(300).default(10),
  TOKEN_ENCRYPTION_KEY: encryptionKey.optional(),
  TOKEN_ENCRYPTION_OLD_KEYS: list.pipe(z.array(encryptionKey)).default([]),

  OIDC_AUTHORITY: httpUrl.optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_API_SCOPE: z.string().min(1).optional(),
  ENTRA_TENANT_ID: z.string().min(1).optional(),
  ENTRA_ALLOWED_TENANTS: list.optional(),
  ADMINS: list.default([]),
  SESSION_TTL_HOURS: positiveInt.default(24 * 7),
  DEV_OIDC_PORT: port.default(0),
  DEV_ACCOUNTS: devAccounts.optional(),

  LLM_PROVIDER: z.enum(['demo', 'openai', 'azure-ad']).default('demo'),
  LLM_BASE_URL: httpUrl.optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_TOKEN_SCOPE: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: positiveInt.default(300_000),
  LLM_ACCEPTS_IMAGES: bool.default(false),

  TURN_START_CONCURRENCY: positiveInt.default(64),
  MAX_HTTP_REQUESTS: positiveInt.default(4096),
  MCP_TOOL_TIMEOUT_MS: positiveInt.default(60_000),
  HANDLER_IDLE_MINUTES: positiveInt.default(30),
  SEED_CATALOGUE: bool.default(true),
  MCP_STDIO_COMMANDS: list.optional(),
  MCP_SECRET_ENV: list.optional(),
  MCP_BLOCK_PRIVATE_ADDRESSES: bool.default(false),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** The origin browsers use; WebSocket upgrades from any other origin are refused. */
  publicUrl: string | undefined;
  dataDir: string;
  databasePath: string;
  checkpointDatabasePath: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  shutdownTimeoutMs: number;
  /** After a shutdown signal, how long /readyz answers 503 while everything still serves, so a load balancer stops sending first. */
  drainDelayMs: number;
  /** The largest request body any route accepts; larger ones get 413 before they are read. */
  maxRequestBodyBytes: number;
  /** Memory or bytes: which WebSocket frames go out compressed (socket-compression.ts). */
  websocketCompression: SocketCompressionMode;
  /** What people may attach to a message (files/file-service.ts); an upload's request may exceed maxRequestBodyBytes by one file. */
  files: FileLimits;
  /** Who may read /metrics: a bearer token on the main port, and/or a listener of its own without one; neither: no metrics. */
  metrics: { token: string | undefined; port: number | undefined; host: string };
  /** OpenTelemetry traces (telemetry/tracing.ts); `otel` undefined: off, no exporter, no-op spans. */
  traces: TracesConfig;
  /**
   * Cluster mode: several instances share PostgreSQL (everything durable) and Redis (events,
   * run leases, the control channel, limits). Undefined: SQLite files and in-process state.
   */
  cluster: ClusterConfig | undefined;
  /** Seals tokens kept for people (crypto/token-cipher.ts); without a key, one is generated into DATA_DIR. */
  tokenEncryption: { key: Buffer | undefined; oldKeys: Buffer[] };
  auth: {
    /** Undefined: the embedded development OpenID provider is used. */
    authority: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    /** Asked for at sign-in so the access token is for Countersign itself (Entra: api://<client id>/access_as_user), as on-behalf-of needs. */
    apiScope: string | undefined;
    tenantId: string | undefined;
    allowedTenants: string[] | undefined;
    admins: string[];
    sessionTtlMs: number;
    devProviderPort: number;
    /** Accounts offered by the development sign-in; undefined: the built-in list. */
    devAccounts: { name: string; email: string; role: 'user' | 'admin'; groups?: string[] }[] | undefined;
  };
  llm: {
    provider: 'demo' | 'openai' | 'azure-ad';
    baseUrl: string | undefined;
    apiKey: string | undefined;
    model: string | undefined;
    tokenScope: string | undefined;
    /** The longest the model may stay silent (before its reply starts, or mid-stream) before the run fails. */
    timeoutMs: number;
    /** The model takes image input: it is shown the images of tool results (agent/transcript.ts). */
    acceptsImages: boolean;
    /** Turns in their start phase at once (until their first output); more wait their turn, one starting per event-loop turn. */
    turnStartConcurrency: number;
  };
  mcp: {
    maxHttpRequests: number;
    toolTimeoutMs: number;
    handlerIdleMs: number;
    seedCatalogue: boolean;
    /** Commands stdio servers may run (admins choose among them); undefined: any command. */
    allowedStdioCommands: string[] | undefined;
    /** Environment variable names `env:NAME` secrets may read (a trailing `*` matches a prefix); undefined: any. */
    allowedSecretEnv: string[] | undefined;
    /** Refuse HTTP servers whose resolved address is private, loopback or link-local (this server's own aside). */
    blockPrivateAddresses: boolean;
  };
}

export interface ClusterConfig {
  databaseUrl: string;
  /** The PostgreSQL schema holding Countersign's tables (and its migration journal). */
  databaseSchema: string;
  redisUrl: string;
  /** Every Redis key and channel starts with it, so instances of one deployment find each other and no one else. */
  redisKeyPrefix: string;
  /** How long a run's lease outlives its instance's last renewal: how soon a dead instance's answers show as cut off. */
  runLeaseMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the settings `schema` names from the environment (empty counts as unset); throws ConfigError naming every bad one. */
export function readSettings<S extends z.ZodObject>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  const present = Object.fromEntries(
    Object.keys(schema.shape)
      .map((key) => [key, source[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      return `${key}=${JSON.stringify(source[key])}: ${issue.message}`;
    }),
  );
}

/** Parses the environment; throws ConfigError naming every bad setting. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const e = readSettings(envSchema, source);
  const problems: string[] = [];
  const usesDevProvider = !e.OIDC_AUTHORITY && !e.ENTRA_TENANT_ID;
  if (e.NODE_ENV === 'production' && usesDevProvider) {
    problems.push(
      'NODE_ENV=production: the development sign-in refuses to run in production; set ENTRA_TENANT_ID (or OIDC_AUTHORITY), OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
    );
  }
  if (!usesDevProvider && !e.OIDC_CLIENT_ID) {
    problems.push('OIDC_CLIENT_ID: required when ENTRA_TENANT_ID or OIDC_AUTHORITY is set');
  }
  if (e.LLM_PROVIDER !== 'demo' && !e.LLM_BASE_URL) {
    problems.push(`LLM_BASE_URL: required when LLM_PROVIDER=${e.LLM_PROVIDER}`);
  }
  if (e.LLM_PROVIDER === 'azure-ad' && (usesDevProvider || !e.OIDC_CLIENT_SECRET)) {
    problems.push('LLM_PROVIDER=azure-ad: needs ENTRA_TENANT_ID, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET for client credentials');
  }
  if (Boolean(e.DATABASE_URL) !== Boolean(e.REDIS_URL)) {
    problems.push(
      `${e.DATABASE_URL ? 'REDIS_URL' : 'DATABASE_URL'}: cluster mode needs both DATABASE_URL (PostgreSQL) and REDIS_URL; set both, or neither for the embedded SQLite mode`,
    );
  }
  if (e.DATABASE_URL && e.REDIS_URL) {
    if (!e.PUBLIC_URL)
      problems.push('PUBLIC_URL: required in cluster mode (DATABASE_URL and REDIS_URL set): the address people reach the load balancer at');
    if (!e.TOKEN_ENCRYPTION_KEY)
      problems.push(
        'TOKEN_ENCRYPTION_KEY: required in cluster mode (DATABASE_URL and REDIS_URL set): every instance must open the tokens any other sealed; generate one with: openssl rand -base64 32',
      );
    if (usesDevProvider)
      problems.push(
        'cluster mode (DATABASE_URL and REDIS_URL set) needs a real OpenID provider: the development sign-in lives in one instance; set OIDC_AUTHORITY (or ENTRA_TENANT_ID), OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
      );
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT) {
    problems.push(`METRICS_PORT=${e.METRICS_PORT}: must differ from PORT, since metrics there are served without a token`);
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = resolve(e.DATA_DIR);
  const databasePath = e.DATABASE_PATH ? resolve(e.DATABASE_PATH) : resolve(dataDir, 'countersign.db');
  const authority = e.OIDC_AUTHORITY ?? (e.ENTRA_TENANT_ID ? `https://login.microsoftonline.com/${e.ENTRA_TENANT_ID}/v2.0` : undefined);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir,
    databasePath,
    checkpointDatabasePath: e.CHECKPOINT_DATABASE_PATH ? resolve(e.CHECKPOINT_DATABASE_PATH) : databasePath,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    drainDelayMs: e.DRAIN_DELAY_MS,
    maxRequestBodyBytes: e.MAX_REQUEST_BODY_BYTES,
    websocketCompression: e.WEBSOCKET_COMPRESSION,
    files: { maxFileBytes: e.FILE_MAX_BYTES, maxMessageBytes: e.MESSAGE_FILES_MAX_BYTES, maxFilesPerMessage: e.MESSAGE_MAX_FILES },
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT, host: e.METRICS_HOST },
    traces: {
      otel:
        e.OTEL_SDK_DISABLED || !(e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT)
          ? undefined
          : {
              // The signal-specific URL is used as it is; the general one gets the traces path (the OTLP spec's rule).
              url: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${e.OTEL_EXPORTER_OTLP_ENDPOINT!.replace(/\/$/, '')}/v1/traces`,
              headers: e.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? e.OTEL_EXPORTER_OTLP_HEADERS,
              serviceName: e.OTEL_SERVICE_NAME,
              resourceAttributes: e.OTEL_RESOURCE_ATTRIBUTES,
              sampler: e.OTEL_TRACES_SAMPLER,
              samplerRatio: e.OTEL_TRACES_SAMPLER_ARG,
            },
      captureToolArguments: e.OTEL_CAPTURE_TOOL_ARGUMENTS,
      slowDbMs: e.OTEL_SLOW_DB_MS,
    },
    cluster:
      e.DATABASE_URL && e.REDIS_URL
        ? {
            databaseUrl: e.DATABASE_URL,
            databaseSchema: e.DATABASE_SCHEMA,
            redisUrl: e.REDIS_URL,
            redisKeyPrefix: e.REDIS_KEY_PREFIX,
            runLeaseMs: e.RUN_LEASE_SECONDS * 1000,
          }
        : undefined,
    tokenEncryption: { key: e.TOKEN_ENCRYPTION_KEY, oldKeys: e.TOKEN_ENCRYPTION_OLD_KEYS },
    auth: {
      authority,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      apiScope: e.OIDC_API_SCOPE,
      tenantId: e.ENTRA_TENANT_ID,
      allowedTenants: e.ENTRA_ALLOWED_TENANTS ?? (e.ENTRA_TENANT_ID ? [e.ENTRA_TENANT_ID] : undefined),
      admins: e.ADMINS,
      sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
      devProviderPort: e.DEV_OIDC_PORT,
      devAccounts: e.DEV_ACCOUNTS,
    },
    llm: {
      provider: e.LLM_PROVIDER,
      baseUrl: e.LLM_BASE_URL,
      apiKey: e.LLM_API_KEY,
      model: e.LLM_MODEL,
      tokenScope: e.LLM_TOKEN_SCOPE,
      timeoutMs: e.LLM_TIMEOUT_MS,
      acceptsImages: e.LLM_ACCEPTS_IMAGES,
      turnStartConcurrency: e.TURN_START_CONCURRENCY,
    },
    mcp: {
      maxHttpRequests: e.MAX_HTTP_REQUESTS,
      toolTimeoutMs: e.MCP_TOOL_TIMEOUT_MS,
      handlerIdleMs: e.HANDLER_IDLE_MINUTES * 60_000,
      seedCatalogue: e.SEED_CATALOGUE,
      allowedStdioCommands: e.MCP_STDIO_COMMANDS,
      allowedSecretEnv: e.MCP_SECRET_ENV,
      blockPrivateAddresses: e.MCP_BLOCK_PRIVATE_ADDRESSES,
    },
  };
}
