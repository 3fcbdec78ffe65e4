/** The catalogue: servers, their tools' policies, held definitions, connection tests, and who signed in where. */
import type { ToolPolicy } from '../../../db/schema.ts';
import { type CatalogueEntry, parseEntry } from '../../mcp/catalogue.ts';
import { testConnection } from '../connection-test.ts';
import type { AdminContext } from '../context.ts';
import { invalidInput, notFound } from '../errors.ts';
import { type ServerPatchInput, toCatalogueInput } from '../server-input.ts';
import { type AdminDeps, callerId } from './deps.ts';

type Id = { id: string };
const pairs = (record: Record<string, string>) => Object.entries(record).map(([name, value]) => ({ name, value }));
const TEST_ID = 'connection-test';

/** Every kept entry of a server fits in one page. */
const MAX_RECENT_LOGS = 200;

export function catalogueResolvers({ catalogue, userTokens, mcpAuth, revokeAuthorisation, origin, log, users, serverLogs }: AdminDeps) {
  const require = async (id: string): Promise<CatalogueEntry> => {
    const entry = await catalogue.get(id);
    if (!entry) throw notFound(`MCP server ${id}`);
    return entry;
  };

  /** The definition to test: the saved one, the input alone, or the input over the saved one. */
  const candidate = async (input: ServerPatchInput | null | undefined, serverId: string | null | undefined) => {
    if (!input && !serverId) throw invalidInput('testConnection', 'give a server definition (input), a saved server (serverId), or both');
    const stored = serverId ? await require(serverId) : undefined;
    if (stored && !input) return { entry: stored, saved: true };
    const patch = toCatalogueInput(input ?? {});
    const fields = parseEntry({ ...stored, ...patch });
    const id = stored?.id ?? TEST_ID;
    const now = new Date();
    const entry: CatalogueEntry = {
      ...fields,
      id,
      description: fields.description ?? '',
      args: fields.args ?? [],
      env: fields.env ?? {},
      headers: fields.headers ?? {},
      secretHeaders: fields.secretHeaders ?? {},
      enabled: fields.enabled ?? true,
      trusted: fields.trusted ?? false,
      toolPolicies: fields.toolPolicies ?? {},
      defaultPolicy: fields.defaultPolicy ?? 'ask',
      url: fields.url ?? null,
      command: fields.command ?? null,
      authMode: fields.authMode ?? 'none',
      oauthClientId: fields.oauthClientId ?? null,
      // A stored secret is sealed already; one typed for this test comes in the clear, and connections open only sealed ones.
      oauthClientSecret: patch.oauthClientSecret
        ? mcpAuth.sealClientSecret(id, patch.oauthClientSecret)
        : (fields.oauthClientSecret ?? null),
      oauthScopes: fields.oauthScopes ?? null,
      oauthIssuer: fields.oauthIssuer ?? null,
      logLevel: fields.logLevel ?? 'warning',
      samplingPolicy: fields.samplingPolicy ?? 'off',
      samplingMaxTokens: fields.samplingMaxTokens ?? 1024,
      allowedRoots: fields.allowedRoots ?? [],
      pinnedTools: stored?.pinnedTools ?? {},
      createdAt: stored?.createdAt ?? now,
      updatedAt: now,
    };
    return { entry, saved: false };
  };

  return {
    Query: {
      servers: () => catalogue.list(),
      server: (_: unknown, { id }: Id) => catalogue.get(id),
    },
    Mutation: {
      createServer: (_: unknown, { input }: { input: ServerPatchInput }) =>
        catalogue.create(toCatalogueInput(input) as Parameters<typeof catalogue.create>[0]),
      updateServer: (_: unknown, { id, input }: Id & { input: ServerPatchInput }) => catalogue.update(id, toCatalogueInput(input)),
      setServerEnabled: (_: unknown, { id, enabled }: Id & { enabled: boolean }) => catalogue.setEnabled(id, enabled),
      deleteServer: async (_: unknown, { id }: Id) => {
        await catalogue.delete(id);
        return id;
      },
      testConnection: async (_: unknown, args: { input?: ServerPatchInput | null; serverId?: string | null }, context: AdminContext) => {
        const { entry, saved } = await candidate(args.input, args.serverId);
        return testConnection({ catalogue, userTokens, mcpAuth, origin, log: log.child({ feature: 'admin' }) }, entry, {
          adminId: callerId(context),
          saved,
        });
      },
      setToolPolicy: async (_: unknown, args: { serverId: string; tool: string; policy: ToolPolicy | null }) => {
        const tool = args.tool.trim();
        if (!tool || tool.length > 128) throw invalidInput('tool', 'must be a tool name of 1 to 128 characters');
        return catalogue.setToolPolicy(args.serverId, tool, args.policy);
      },
      approveTool: async (_: unknown, args: { serverId: string; tool: string; definitionHash: string }) => {
        await catalogue.approveToolDefinition(args.serverId, args.tool, args.definitionHash);
        return require(args.serverId);
      },
      revokeMcpAuthorisation: async (_: unknown, { serverId, userId }: { serverId: string; userId: string }, context: AdminContext) => {
        await require(serverId);
        const revoked = await revokeAuthorisation(userId, serverId);
        if (revoked) log.info('mcp authorisation revoked', { serverId, userId, by: callerId(context) });
        return revoked;
      },
    },
    McpServer: {
      envNames: (entry: CatalogueEntry) => Object.keys(entry.env),
      headers: (entry: CatalogueEntry) => pairs(entry.headers),
      secretHeaderNames: (entry: CatalogueEntry) => Object.keys(entry.secretHeaders),
      toolPolicies: (entry: CatalogueEntry) => Object.entries(entry.toolPolicies).map(([tool, policy]) => ({ tool, policy })),
      pinnedTools: (entry: CatalogueEntry) => Object.keys(entry.pinnedTools).sort(),
      heldTools: async (entry: CatalogueEntry) =>
        (await catalogue.heldTools(entry.id)).map((t) => ({ ...t, title: t.title ?? null, reason: t.held ?? 'changed' })),
      connectedUsers: (entry: CatalogueEntry) => users.connectedUsers(entry.id),
      hasOauthClientSecret: (entry: CatalogueEntry) => entry.oauthClientSecret !== null,
      recentLogs: (entry: CatalogueEntry, { limit }: { limit?: number | null }) => {
        const size = limit ?? 50;
        if (!Number.isInteger(size) || size < 1 || size > MAX_RECENT_LOGS)
          throw invalidInput('limit', `must be between 1 and ${MAX_RECENT_LOGS}`);
        return serverLogs.recent(entry.id, size);
      },
      authorisations: async (entry: CatalogueEntry) => {
        const granted = await mcpAuth.deps.authorisations.listForServer(entry.id);
        const people = await Promise.all(granted.map((a) => users.get(a.userId)));
        // A person deleted since the listing has taken their authorisation with them.
        return granted.flatMap((a, i) => {
          const person = people[i];
          return person ? [{ ...a, user: person, authorisedAt: a.createdAt }] : [];
        });
      },
    },
  };
}
