/**
 * What a person does with tools: `session.initialize` (their handlers, revived with their tools),
 * the catalogue as they see it, their own connections (one tool-sync path, UserHandlers), their
 * own stricter policy for a tool, and their own sign-ins at servers behind OAuth. The routers
 * only validate and call this.
 */
import type {
  CompletionDto,
  FilledPromptDto,
  InitializeResult,
  McpAuthorisationDto,
  ModelInfo,
  PersonalPolicy,
  PromptListDto,
  ResourceListDto,
  ResourceReadDto,
  ServerDto,
  ToolDto,
} from '../../shared/servers.ts';
import type { SessionUser } from '../../shared/types.ts';
import { LIMITS } from '../../shared/limits.ts';
import { cataloguePolicy } from '../agent/policy.ts';
import type { PreferenceStore } from '../agent/preference-store.ts';
import { personalKey, unavailableReason } from '../agent/tool-view.ts';
import type { CatalogueEntry, CatalogueService } from '../mcp/catalogue.ts';
import { serverNotInCatalogue } from '../mcp/mcp-handler.ts';
import type { AuthorisationStore } from '../mcp/oauth/authorisation-store.ts';
import type { CompletionRequest } from '../mcp/completion.ts';
import type { McpTool, ServerState } from '../mcp/types.ts';
import { type Listed, promptListDto, resourceListDto } from './chat-lists.ts';
import { refusal } from './refusal.ts';
import { shownPrompt } from './shown-prompt.ts';
import { shownResource } from './shown-resource.ts';
import type { UserHandlers } from './user-handlers.ts';

interface OwnedChat {
  id: string;
  enabledServers: string[];
}

/** What tools/ needs of the chat service, declared here so tools/ imports nothing of chats/. */
export interface ChatServers {
  owned(userId: string, chatId: string): Promise<OwnedChat>;
  addServer(userId: string, chat: OwnedChat, serverId: string): Promise<void>;
}

export interface ToolServiceDeps {
  catalogue: CatalogueService;
  preferences: PreferenceStore;
  handlers: UserHandlers;
  /** The chat a connect names, if any, gets the server too. */
  chats: ChatServers;
  /** Each person's tokens per server behind OAuth; every read and delete here is keyed by the caller. */
  authorisations: Pick<AuthorisationStore, 'listForUser'>;
  model: ModelInfo;
  devSignIn: boolean;
}

export class ToolService {
  constructor(private readonly deps: ToolServiceDeps) {}

  /** The seed's first call after sign-in: creates or revives the person's handlers. */
  async initialize(user: SessionUser): Promise<InitializeResult> {
    const { handlers, model, devSignIn } = this.deps;
    await handlers.llmFor(user.id);
    return { user, model, devSignIn, connectedServers: await handlers.mcpFor(user.id).serverIds() };
  }

  async list(userId: string): Promise<ServerDto[]> {
    const { catalogue, handlers, preferences } = this.deps;
    const entries = (await catalogue.list()).filter((e) => e.enabled);
    const { tools, servers } = await handlers.mcpFor(userId).listTools();
    const states = new Map(servers.map((s) => [s.serverId, s]));
    const mine = await preferences.forUser(userId);
    return entries.map((entry) => toServerDto(entry, states.get(entry.id), tools, mine));
  }

  async connect(userId: string, serverId: string, chatId: string | undefined): Promise<ServerDto> {
    const { catalogue, handlers, chats, preferences } = this.deps;
    const chat = chatId ? await chats.owned(userId, chatId) : undefined;
    const { tools, servers } = await handlers.connect(userId, serverId);
    if (chat) await chats.addServer(userId, chat, serverId);
    const entry = await catalogue.get(serverId);
    if (!entry) throw serverNotInCatalogue(serverId);
    const state = servers.find((s) => s.serverId === serverId);
    return toServerDto(entry, state, tools, await preferences.forUser(userId));
  }

  /** Tightens a tool for this person only: `ask` every time, or `deny` (hidden from their model); null clears it. */
  async setToolPreference(userId: string, serverId: string, toolName: string, policy: PersonalPolicy | null) {
    const { catalogue, preferences } = this.deps;
    if (!(await catalogue.get(serverId))) throw serverNotInCatalogue(serverId);
    await preferences.set(userId, serverId, toolName, policy);
    return { serverId, toolName, myPolicy: policy };
  }

  async disconnect(userId: string, serverId: string) {
    await this.deps.handlers.disconnect(userId, serverId);
    return { serverId, connection: 'disconnected' as const };
  }

  /**
   * Reads a resource (a tool result's link, or an embedded resource) through the person's own
   * connection to the server; a server they have not connected is refused as not found.
   */
  async readResource(userId: string, serverId: string, uri: string): Promise<ResourceReadDto> {
    const read = await this.deps.handlers.mcpFor(userId).readResource(serverId, uri);
    if (!read.ok) throw refusal(read);
    return shownResource(read.contents);
  }

  /** The prompts of the chat's servers that the person has connected (others are left out unasked). */
  async prompts(userId: string, chatId: string): Promise<PromptListDto> {
    const mcp = this.deps.handlers.mcpFor(userId);
    return promptListDto(await this.#listEach(userId, chatId, (serverId) => mcp.prompts(serverId)));
  }

  /** A prompt filled in with the person's arguments, as text for the message box. */
  async getPrompt(userId: string, serverId: string, name: string, args: Record<string, string>): Promise<FilledPromptDto> {
    const filled = await this.deps.handlers.mcpFor(userId).getPrompt(serverId, name, args);
    if (!filled.ok) throw refusal(filled);
    return shownPrompt(filled);
  }

  /** The resources and resource templates of the chat's servers that the person has connected. */
  async resources(userId: string, chatId: string): Promise<ResourceListDto> {
    const mcp = this.deps.handlers.mcpFor(userId);
    return resourceListDto(await this.#listEach(userId, chatId, (serverId) => mcp.resources(serverId)));
  }

  /** Suggestions for an argument of a prompt or a variable of a resource template, as the person types it. */
  async complete(userId: string, serverId: string, request: CompletionRequest): Promise<CompletionDto> {
    const completion = await this.deps.handlers.mcpFor(userId).complete(serverId, request);
    if (!completion.ok) throw refusal(completion);
    return { values: completion.values.filter((value) => value.length <= LIMITS.promptArgument), hasMore: completion.hasMore };
  }

  /** Lists each server of the person's chat that they have connected (and an admin has not disabled), all at once. */
  async #listEach<T>(userId: string, chatId: string, list: (serverId: string) => Promise<T>): Promise<Listed<T>[]> {
    const { chats, catalogue, handlers } = this.deps;
    const chat = await chats.owned(userId, chatId);
    const connected = new Set(await handlers.mcpFor(userId).serverIds());
    const entries = (await catalogue.list()).filter((e) => e.enabled && connected.has(e.id) && chat.enabledServers.includes(e.id));
    return Promise.all(entries.map(async ({ id, name }) => ({ server: { id, name }, listing: await list(id) })));
  }

  /** The servers this person has signed in to, oldest sign-in first. */
  async authorisations(userId: string): Promise<McpAuthorisationDto[]> {
    const { authorisations, catalogue } = this.deps;
    const [mine, entries] = await Promise.all([authorisations.listForUser(userId), catalogue.list()]);
    const names = new Map(entries.map((entry) => [entry.id, entry.name]));
    // A server deleted between the two reads took its rows with it.
    return mine.flatMap(({ serverId, scope, createdAt, expiresAt }) => {
      const serverName = names.get(serverId);
      if (serverName === undefined) return [];
      return [{ serverId, serverName, scope, authorisedAt: createdAt.toISOString(), expiresAt: expiresAt?.toISOString() ?? null }];
    });
  }

  /**
   * Forgets the person's tokens for the server and closes their live connection to it, so its next
   * use asks them to sign in again. False when they had none (never signed in, or already revoked).
   */
  async revokeAuthorisation(userId: string, serverId: string): Promise<boolean> {
    return this.deps.handlers.revokeAuthorisation(userId, serverId);
  }
}

function toServerDto(
  entry: CatalogueEntry,
  state: ServerState | undefined,
  tools: McpTool[],
  mine: Map<string, PersonalPolicy>,
): ServerDto {
  const connection = !state ? 'disconnected' : state.status;
  return {
    id: entry.id,
    name: entry.name,
    description: entry.description,
    transport: entry.transport,
    connection,
    error: state?.status === 'unavailable' || state?.status === 'needs_sign_in' ? state.error : null,
    tools: tools.filter((t) => t.serverId === entry.id).map((t) => toToolDto(t, entry, mine.get(personalKey(entry.id, t.name)) ?? null)),
    roots: entry.allowedRoots.map((root) => ({ uri: root.uri, name: root.name ?? null })),
  };
}

function toToolDto(tool: McpTool, entry: CatalogueEntry, myPolicy: PersonalPolicy | null): ToolDto {
  const unavailable = unavailableReason(tool);
  return {
    uniqueName: tool.uniqueName,
    name: tool.name,
    title: tool.title ?? null,
    description: tool.description,
    annotations: tool.annotations,
    policy: cataloguePolicy(tool, entry).policy,
    myPolicy,
    held: Boolean(tool.held),
    ...(unavailable ? { unavailable } : {}),
  };
}
