/**
 * Turns the GraphQL server inputs (lists of name/value pairs, as GraphQL has no maps) into the
 * catalogue's own input, checking what the catalogue does not: duplicates, sizes, and the shape
 * of a stdio command. The catalogue then validates the rest (URLs, header names, references).
 */
import type { CatalogueInput } from '../mcp/catalogue.ts';
import type { McpAuthMode, McpLogLevel, SamplingPolicy, ToolPolicy, Transport } from '../../db/schema.ts';
import { invalidInput } from './errors.ts';

interface Pair {
  name: string;
  value: string;
}

export interface ServerPatchInput {
  name?: string | null;
  description?: string | null;
  transport?: Transport | null;
  url?: string | null;
  command?: string | null;
  args?: string[] | null;
  env?: Pair[] | null;
  headers?: Pair[] | null;
  secretHeaders?: { name: string; reference: string }[] | null;
  enabled?: boolean | null;
  trusted?: boolean | null;
  defaultPolicy?: ToolPolicy | null;
  toolPolicies?: { tool: string; policy: ToolPolicy }[] | null;
  authMode?: McpAuthMode | null;
  oauthClientId?: string | null;
  /** Write-only: absent keeps the stored one; null or blank removes it. */
  oauthClientSecret?: string | null;
  oauthScopes?: string | null;
  oauthIssuer?: string | null;
  logLevel?: McpLogLevel | null;
  samplingPolicy?: SamplingPolicy | null;
  samplingMaxTokens?: number | null;
  /** The whole list: absent keeps the stored one, empty allows none. */
  allowedRoots?: { uri: string; name?: string | null }[] | null;
}

const MAX_ITEMS = 100;
const MAX_VALUE = 8_192;
/** Control characters have no place in a program path or argument typed by a person. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
const CONTROL = /[\u0000-\u001f\u007f]/;

function record(field: string, pairs: readonly Pair[]): Record<string, string> {
  if (pairs.length > MAX_ITEMS) throw invalidInput(field, `at most ${MAX_ITEMS} entries`);
  const out: Record<string, string> = {};
  for (const { name, value } of pairs) {
    const key = name.trim();
    if (!key) throw invalidInput(field, 'names must not be empty');
    if (Object.hasOwn(out, key)) throw invalidInput(field, `${key} is given twice`);
    if (value.length > MAX_VALUE) throw invalidInput(field, `the value of ${key} is longer than ${MAX_VALUE} characters`);
    out[key] = value;
  }
  return out;
}

/** A text field the patch may clear: absent stays absent, null or blank becomes null, the rest is trimmed. */
function clearable(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value === null || value.trim() === '' ? null : value.trim();
}

function checkCommand(command: string | null | undefined, args: readonly string[] | null | undefined): void {
  if (command != null) {
    if (command.trim() !== command || !command) throw invalidInput('command', 'must be a program path without surrounding spaces');
    if (command.length > 1024 || CONTROL.test(command)) throw invalidInput('command', 'must be one line of at most 1024 characters');
  }
  if (args != null) {
    if (args.length > MAX_ITEMS) throw invalidInput('args', `at most ${MAX_ITEMS} arguments`);
    if (args.some((a) => a.length > MAX_VALUE || a.includes('\0') || a.includes('\n') || a.includes('\r')))
      throw invalidInput('args', 'each argument must be one line');
  }
}

/**
 * The fields present in the patch, in the catalogue's shape. Absent fields are left out, and so are
 * null ones, except where null clears: url, command, the OAuth client id and secret, and scopes.
 */
export function toCatalogueInput(patch: ServerPatchInput): Partial<CatalogueInput> {
  checkCommand(patch.command, patch.args);
  const out: Partial<CatalogueInput> = {};
  if (patch.name != null) out.name = patch.name;
  if (patch.description != null) out.description = patch.description;
  if (patch.transport != null) out.transport = patch.transport;
  const url = clearable(patch.url);
  if (url !== undefined) out.url = url;
  if (patch.command !== undefined) out.command = patch.command === null || patch.command === '' ? null : patch.command;
  if (patch.args != null) out.args = patch.args;
  if (patch.env != null) out.env = record('env', patch.env);
  if (patch.headers != null) out.headers = record('headers', patch.headers);
  if (patch.secretHeaders != null) {
    out.secretHeaders = record(
      'secretHeaders',
      patch.secretHeaders.map((h) => ({ name: h.name, value: h.reference })),
    );
  }
  if (patch.enabled != null) out.enabled = patch.enabled;
  if (patch.trusted != null) out.trusted = patch.trusted;
  if (patch.defaultPolicy != null) out.defaultPolicy = patch.defaultPolicy;
  if (patch.authMode != null) out.authMode = patch.authMode;
  if (patch.logLevel != null) out.logLevel = patch.logLevel;
  if (patch.samplingPolicy != null) out.samplingPolicy = patch.samplingPolicy;
  if (patch.samplingMaxTokens != null) out.samplingMaxTokens = patch.samplingMaxTokens;
  if (patch.allowedRoots != null) out.allowedRoots = patch.allowedRoots;
  const clientId = clearable(patch.oauthClientId);
  if (clientId !== undefined) out.oauthClientId = clientId;
  const clientSecret = clearable(patch.oauthClientSecret);
  if (clientSecret !== undefined) out.oauthClientSecret = clientSecret;
  const scopes = clearable(patch.oauthScopes);
  if (scopes !== undefined) out.oauthScopes = scopes;
  const issuer = clearable(patch.oauthIssuer);
  if (issuer !== undefined) out.oauthIssuer = issuer;
  if (patch.toolPolicies != null) {
    out.toolPolicies = record(
      'toolPolicies',
      patch.toolPolicies.map((p) => ({ name: p.tool, value: p.policy })),
    ) as Record<string, ToolPolicy>;
  }
  return out;
}
