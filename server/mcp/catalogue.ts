/**
 * The catalogue of MCP servers users may connect to. Admins define entries (the admin API calls
 * this service); users only pick from them, so commands, URLs and credentials never come from a
 * chat user. Entries must fit the operator's trust boundary when saved. Changes are announced
 * on the control channel; every instance (this one too) hands them to its listeners, which is how
 * a disabled server gets disconnected for everyone.
 */
import { z } from 'zod';
import type { McpAuthMode, ToolPolicy } from '../../db/schema.ts';
import { AppliedHere } from '../cluster/applied-here.ts';
import { type ControlChannel, controlTopic } from '../cluster/control-channel.ts';
import { DomainError } from '../domain-error.ts';
import type { Logger } from '../log.ts';
import { allowedRootsSchema } from './allowed-roots.ts';
import type { CatalogueEntry, CatalogueFields, CatalogueStore } from './catalogue-store.ts';
import type { HeldDefinitionsStore } from './held-definitions-store.ts';
import { Listeners } from './listeners.ts';
import { USER_TOKEN_REFERENCE } from './secrets.ts';
import { MCP_LOG_LEVELS } from './server-log.ts';
import { serverSlug } from './tool-names.ts';
import { TrustBoundary } from './trust-boundary.ts';
import type { McpTool } from './types.ts';

export type { CatalogueEntry };

export type CatalogueChange =
  | { type: 'updated' | 'disabled' | 'deleted'; serverId: string }
  /** Only who may call what changed: connections stay as they are. */
  | { type: 'policy-changed'; serverId: string }
  | { type: 'tool-approved'; serverId: string; toolName: string };

/** An admin changed the catalogue; `id` lets the publishing instance wait until it has applied the change itself. */
const catalogueChanged = controlTopic<{ id: string; change: CatalogueChange }>(
  'catalogue-changed',
  z.object({
    id: z.string(),
    change: z.union([
      z.object({ type: z.enum(['updated', 'disabled', 'deleted', 'policy-changed']), serverId: z.string() }),
      z.object({ type: z.literal('tool-approved'), serverId: z.string(), toolName: z.string() }),
    ]),
  }),
);

/** A refused catalogue change; its message is written for admins. */
export class CatalogueError extends DomainError {
  constructor(code: 'invalid' | 'not_found' | 'conflict', message: string) {
    super(code, message);
    this.name = 'CatalogueError';
  }
}

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name');
const secretReference = z
  .string()
  .regex(
    new RegExp(`^(env:[A-Za-z_][A-Za-z0-9_]*|${USER_TOKEN_REFERENCE})$`),
    `must be a secret reference: env:NAME (an environment variable of this server) or ${USER_TOKEN_REFERENCE}`,
  );
const policy = z.enum(['ask', 'auto', 'deny']);
/** RFC 6749 scope tokens, one space apart. */
const scopes = z
  .string()
  .trim()
  .max(2000)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be scope names separated by single spaces');
/** A sampling reply's token cap can be set this high at most. */
const MAX_SAMPLING_TOKENS = 100_000;
/** Modes where Countersign itself sets the Authorization header. */
const SETS_AUTHORIZATION: readonly McpAuthMode[] = ['oauth', 'on-behalf-of', 'client-credentials'];

const entrySchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    description: z.string().max(2000).default(''),
    transport: z.enum(['streamable-http', 'sse', 'stdio']),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).nullish(),
    command: z.string().min(1).nullish(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    headers: z.record(headerName, z.string()).default({}),
    secretHeaders: z.record(headerName, secretReference).default({}),
    enabled: z.boolean().default(true),
    trusted: z.boolean().default(false),
    toolPolicies: z.record(z.string(), policy).default({}),
    defaultPolicy: policy.default('ask'),
    /** Unset: `static` when secret headers are given, `none` otherwise. */
    authMode: z.enum(['none', 'static', 'oauth', 'on-behalf-of', 'client-credentials']).optional(),
    oauthClientId: z.string().trim().min(1).max(1000).nullish(),
    /** In the clear on the way in; CatalogueService seals it before it is stored. */
    oauthClientSecret: z.string().min(1).max(16_384).nullish(),
    oauthScopes: scopes.nullish(),
    /** Where the admin's client is registered; its secret is sent to no other authorisation server. */
    oauthIssuer: z.url({ protocol: /^https?$/, error: 'must be the https URL of the authorisation server (its issuer)' }).nullish(),
    /** The least severe log message the server is asked for; a change reopens its connections. */
    logLevel: z.enum(MCP_LOG_LEVELS, { error: `must be one of ${MCP_LOG_LEVELS.join(', ')}` }).default('warning'),
    /** Whether the server may use the chat's model: never, after the person approves each request, or without asking. */
    samplingPolicy: z.enum(['off', 'ask', 'allowed'], { error: 'must be off, ask or allowed' }).default('off'),
    /** The most tokens one sampling reply may have, whatever the server asks for. */
    samplingMaxTokens: z
      .number({ error: 'must be a whole number of tokens' })
      .int('must be a whole number of tokens')
      .min(1, 'must be at least 1')
      .max(MAX_SAMPLING_TOKENS, `must be at most ${MAX_SAMPLING_TOKENS.toLocaleString('en-US')}`)
      .default(1024),
    /** The roots people may offer the server, each chat choosing among them (none by default). */
    allowedRoots: allowedRootsSchema.default([]),
  })
  .superRefine((e, ctx) => {
    const mode = e.authMode ?? (Object.keys(e.secretHeaders).length > 0 ? 'static' : 'none');
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (mode !== 'none' && mode !== 'static' && e.transport === 'stdio') issue('authMode', `${mode} is for servers reached over HTTP`);
    if (mode === 'static' && Object.keys(e.secretHeaders).length === 0) issue('secretHeaders', 'a static secret needs a secret header');
    if (SETS_AUTHORIZATION.includes(mode) && Object.keys(e.secretHeaders).some((h) => h.toLowerCase() === 'authorization'))
      issue('secretHeaders.Authorization', `${mode} sets Authorization itself; remove this header`);
    if (mode === 'client-credentials' && !(e.oauthClientId && e.oauthClientSecret))
      issue('oauthClientSecret', 'client credentials need a client id and a client secret (or a private key for private_key_jwt)');
    if (mode === 'on-behalf-of' && !e.oauthScopes)
      issue('oauthScopes', 'name the scope to ask for, for example api://<application id>/.default');
    if (e.oauthIssuer && !e.oauthClientId) issue('oauthIssuer', 'names where a pre-registered client belongs: give the client id too');
    if (mode !== 'oauth' && mode !== 'client-credentials' && (e.oauthClientId || e.oauthClientSecret))
      issue('oauthClientId', `a client id and secret are used only with oauth or client-credentials, not ${mode}`);
    if (e.transport === 'stdio' && !e.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'is required for stdio' });
    if (e.transport !== 'stdio' && !e.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `is required for ${e.transport}` });
    for (const [header, reference] of Object.entries(e.secretHeaders)) {
      if (reference === USER_TOKEN_REFERENCE && header.toLowerCase() !== 'authorization') {
        ctx.addIssue({ code: 'custom', path: ['secretHeaders', header], message: `${USER_TOKEN_REFERENCE} goes only in Authorization` });
      }
    }
  });

export type CatalogueInput = z.input<typeof entrySchema>;

/** Validates a definition (throws CatalogueError naming each problem); also what the admin API tests unsaved. */
export function parseEntry(input: unknown): CatalogueFields {
  const parsed = entrySchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`);
    throw new CatalogueError('invalid', problems.join('; '));
  }
  const { authMode, ...e } = parsed.data;
  const auth = {
    authMode: authMode ?? (Object.keys(e.secretHeaders).length > 0 ? 'static' : 'none'),
    oauthClientId: e.oauthClientId ?? null,
    oauthClientSecret: e.oauthClientSecret ?? null,
    oauthScopes: e.oauthScopes || null,
    oauthIssuer: e.oauthIssuer ?? null,
  } as const;
  // Only the fields of the chosen transport are kept, so a stdio entry never carries a stale URL.
  return e.transport === 'stdio' ? { ...e, ...auth, url: null } : { ...e, ...auth, command: null, args: [], env: {} };
}

export interface CatalogueServiceDeps {
  store: CatalogueStore;
  /** Definitions held back, per server and tool: what an admin reviews and approves. */
  held: HeldDefinitionsStore;
  /** Changes reach every instance's listeners through it. */
  control: ControlChannel;
  log: Logger;
  /** What the operator lets entries reach; connections check it again each time they open. */
  boundary?: TrustBoundary;
  /** Seals client secrets, and forgets people's tokens when a server changes where they would go. */
  credentials: CatalogueCredentials;
}

/** What the catalogue needs of per-person OAuth (oauth/server-auth.ts implements it). */
export interface CatalogueCredentials {
  sealClientSecret(serverId: string, secret: string): string;
  /** Every person's tokens for the server, and its registrations at authorisation servers, are forgotten. */
  forgetServer(serverId: string): Promise<void>;
}

export class CatalogueService {
  /** Changes made through any instance, as this instance applies them. */
  readonly changes: Listeners<CatalogueChange>;
  readonly boundary: TrustBoundary;
  readonly #appliedHere = new AppliedHere();
  private readonly store: CatalogueStore;
  private readonly held: HeldDefinitionsStore;
  private readonly control: ControlChannel;
  private readonly log: Logger;
  private readonly credentials: CatalogueCredentials;

  constructor({ store, held, control, log, credentials, boundary = TrustBoundary.unlimited }: CatalogueServiceDeps) {
    this.credentials = credentials;
    this.store = store;
    this.held = held;
    this.control = control;
    this.log = log;
    this.boundary = boundary;
    this.changes = new Listeners((error, change) => log.error('catalogue change listener failed', { error, change }));
    control.on(catalogueChanged, async ({ id, change }) => {
      await this.changes.emit(change);
      this.#appliedHere.applied(id);
    });
  }

  list(): Promise<CatalogueEntry[]> {
    return this.store.list();
  }

  get(id: string): Promise<CatalogueEntry | undefined> {
    return this.store.get(id);
  }

  async create(input: CatalogueInput, id: string = crypto.randomUUID()): Promise<CatalogueEntry> {
    const fields = parseEntry(input);
    await this.#assertWithinBoundary(fields);
    await this.#assertNameFree(fields.name);
    const entry = await this.store.insert(id, this.#sealed(id, fields, fields.oauthClientSecret));
    this.log.info('mcp server added to the catalogue', { serverId: id, name: entry.name, transport: entry.transport });
    return entry;
  }

  async update(id: string, patch: Partial<CatalogueInput>): Promise<CatalogueEntry> {
    const current = await this.#require(id);
    const fields = parseEntry({ ...current, ...patch });
    await this.#assertWithinBoundary(fields);
    if (serverSlug(fields.name) !== serverSlug(current.name)) await this.#assertNameFree(fields.name);
    // The stored secret is sealed already: only a new one given in the patch is sealed now.
    const secret = patch.oauthClientSecret === undefined ? undefined : patch.oauthClientSecret;
    const stored = this.#sealed(id, fields, secret);
    if (secret === undefined) stored.oauthClientSecret = current.oauthClientSecret;
    // Tokens are for one resource, issued through one way of signing in: they must not follow a server elsewhere.
    const moved =
      fields.url !== current.url ||
      fields.authMode !== current.authMode ||
      fields.oauthClientId !== current.oauthClientId ||
      fields.oauthIssuer !== current.oauthIssuer;
    if (moved) await this.credentials.forgetServer(id);
    const entry = (await this.store.update(id, stored)) ?? (await this.#require(id));
    await this.#announce({ type: entry.enabled ? 'updated' : 'disabled', serverId: id });
    return entry;
  }

  /** Sets (or, with null, clears) the admin's policy for one tool, without reconnecting anyone. */
  async setToolPolicy(id: string, toolName: string, policy: ToolPolicy | null): Promise<CatalogueEntry> {
    const current = await this.#require(id);
    const toolPolicies = { ...current.toolPolicies };
    if (policy) toolPolicies[toolName] = policy;
    else delete toolPolicies[toolName];
    const entry = (await this.store.update(id, { toolPolicies }))!;
    this.log.info('mcp tool policy set', { serverId: id, tool: toolName, policy });
    await this.#announce({ type: 'policy-changed', serverId: id });
    return entry;
  }

  async setEnabled(id: string, enabled: boolean): Promise<CatalogueEntry> {
    await this.#require(id);
    const entry = (await this.store.update(id, { enabled }))!;
    this.log.info(enabled ? 'mcp server enabled' : 'mcp server disabled', { serverId: id });
    await this.#announce({ type: enabled ? 'updated' : 'disabled', serverId: id });
    return entry;
  }

  async delete(id: string): Promise<void> {
    // Its held definitions go with it (foreign key, on delete cascade).
    if (!(await this.store.delete(id))) throw new CatalogueError('not_found', `no MCP server ${id} in the catalogue`);
    this.log.info('mcp server removed from the catalogue', { serverId: id });
    await this.#announce({ type: 'deleted', serverId: id });
  }

  /** Pins a first listing; returns the pins to compare with (another user's first listing may have won). */
  pinFirstSight(serverId: string, pins: Record<string, string>): Promise<Record<string, string>> {
    return this.store.pinFirstSight(serverId, pins);
  }

  /**
   * For a server whose definitions come with this release (the built-in one): its tools are
   * pinned afresh on the next listing instead of being held back as changed.
   */
  async repinOnNextListing(serverId: string): Promise<void> {
    await this.store.clearPins(serverId);
    await this.held.removeAll(serverId);
  }

  /** Called by handlers when a listing holds a tool back, so admins can see what they would approve. */
  async noteHeld(tool: McpTool): Promise<void> {
    if (await this.held.note(tool)) {
      this.log.warn('mcp tool held back for review', { serverId: tool.serverId, tool: tool.name, reason: tool.held });
    }
  }

  heldTools(serverId: string): Promise<McpTool[]> {
    return this.held.list(serverId);
  }

  /**
   * Accepts the held definition of a tool. `expectedHash` (from heldTools) makes sure the
   * definition pinned is the one the admin read, not one the server switched to meanwhile.
   */
  async approveToolDefinition(serverId: string, toolName: string, expectedHash?: string): Promise<void> {
    const held = await this.held.get(serverId, toolName);
    if (!held) {
      throw new CatalogueError('not_found', `no held definition of ${toolName} on server ${serverId}: list the server's tools first`);
    }
    if (expectedHash !== undefined && expectedHash !== held.definitionHash) {
      throw new CatalogueError('conflict', `the definition of ${toolName} changed again since it was reviewed; review it anew`);
    }
    await this.store.pin(serverId, toolName, held.definitionHash);
    await this.held.remove(serverId, toolName);
    this.log.info('mcp tool definition approved', { serverId, tool: toolName, hash: held.definitionHash });
    await this.#announce({ type: 'tool-approved', serverId, toolName });
  }

  /** The fields to store: the client secret given in the clear (if any) sealed for this entry. */
  #sealed(id: string, fields: CatalogueFields, secret: string | null | undefined): CatalogueFields {
    return { ...fields, oauthClientSecret: secret ? this.credentials.sealClientSecret(id, secret) : null };
  }

  /** Every instance applies the change; this one returns once it has applied it too. */
  async #announce(change: CatalogueChange): Promise<void> {
    const { id, applied } = this.#appliedHere.expect();
    await this.control.publish(catalogueChanged, { id, change });
    if (!(await applied)) this.log.warn('a catalogue change did not come back over the control channel in time', { change });
  }

  async #require(id: string): Promise<CatalogueEntry> {
    const entry = await this.store.get(id);
    if (!entry) throw new CatalogueError('not_found', `no MCP server ${id} in the catalogue`);
    return entry;
  }

  async #assertWithinBoundary(fields: CatalogueFields): Promise<void> {
    const refusals = await this.boundary.refusals(fields);
    if (refusals.length > 0) throw new CatalogueError('invalid', refusals.join('; '));
  }

  /** Tool names are prefixed with the server's slug, so two servers may not share one. */
  async #assertNameFree(name: string): Promise<void> {
    const slug = serverSlug(name);
    const clash = (await this.store.list()).find((e) => serverSlug(e.name) === slug);
    if (clash) throw new CatalogueError('conflict', `"${name}" would share the tool prefix ${slug} with "${clash.name}"`);
  }
}
