/** The schema's scalars, and the internal values behind its enums (GraphQL enum names cannot hold dashes). */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { McpAuthMode, McpLogLevel, ModelProvider, SamplingPolicy } from '../../../db/schema.ts';
import type { ThemeChoice } from '../../../shared/settings.ts';
import type { ExportFormat } from '../audit-export/query.ts';
import { invalidInput } from '../errors.ts';

function toDate(value: unknown): Date {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw invalidInput('DateTime', 'expected an ISO 8601 instant such as 2026-01-31T12:00:00Z');
  return date;
}

export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : toDate(value).toISOString()),
  parseValue: toDate,
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? toDate(ast.value) : toDate(undefined)),
});

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.LIST:
      return ast.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    default:
      return null;
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});

export const enumValues = {
  Role: { USER: 'user', ADMIN: 'admin' },
  Transport: { STREAMABLE_HTTP: 'streamable-http', SSE: 'sse', STDIO: 'stdio' },
  ToolPolicy: { ASK: 'ask', AUTO: 'auto', DENY: 'deny' },
  McpAuthMode: {
    NONE: 'none',
    STATIC: 'static',
    OAUTH: 'oauth',
    ON_BEHALF_OF: 'on-behalf-of',
    CLIENT_CREDENTIALS: 'client-credentials',
  } satisfies Record<string, McpAuthMode>,
  McpLogLevel: {
    DEBUG: 'debug',
    INFO: 'info',
    NOTICE: 'notice',
    WARNING: 'warning',
    ERROR: 'error',
    CRITICAL: 'critical',
    ALERT: 'alert',
    EMERGENCY: 'emergency',
  } satisfies Record<string, McpLogLevel>,
  SamplingPolicy: { OFF: 'off', ASK: 'ask', ALLOWED: 'allowed' } satisfies Record<string, SamplingPolicy>,
  HeldReason: { CHANGED: 'changed', NEW: 'new' },
  PinState: { PINNED: 'pinned', CHANGED: 'changed', NEW: 'new', UNPINNED: 'unpinned' },
  Decision: { APPROVED: 'approved', EDITED: 'edited', REJECTED: 'rejected', AUTO: 'auto', DENIED: 'denied' },
  AuditExportFormat: { CSV: 'csv', JSONL: 'jsonl' } satisfies Record<string, ExportFormat>,
  Outcome: { OK: 'ok', ERROR: 'error', CANCELLED: 'cancelled', TIMEOUT: 'timeout', SKIPPED: 'skipped', INTERRUPTED: 'interrupted' },
  ApiTokenStatus: { ACTIVE: 'active', EXPIRED: 'expired', REVOKED: 'revoked' },
  ModelProvider: { DEMO: 'demo', OPENAI: 'openai', AZURE_AD: 'azure-ad' } satisfies Record<string, ModelProvider>,
  Theme: { SYSTEM: 'system', LIGHT: 'light', DARK: 'dark' } satisfies Record<string, ThemeChoice>,
};
