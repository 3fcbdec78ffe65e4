/** `servers`: the catalogue as a person sees it, and their own connections to it. */
import { connectInput, serverRef, toolPreferenceInput } from '../../shared/inputs/servers.ts';
import type { ServerDto, ToolDto } from '../../shared/servers.ts';
import { cataloguePolicy } from '../agent/policy.ts';
import { personalKey } from '../agent/tool-view.ts';
import type { UserHandlers } from './user-handlers.ts';
import type { CatalogueEntry, CatalogueService } from '../mcp/catalogue.ts';
import { serverNotInCatalogue } from '../mcp/mcp-handler.ts';
import type { McpTool, ServerState } from '../mcp/types.ts';
import { RateLimiter } from '../trpc/rate-limit.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { PersonalPolicy, PreferenceStore } from '../agent/preference-store.ts';

interface OwnedChat {
  id: string;
  enabledServers: string[];
}

interface ChatServers {
  owned(userId: string, chatId: string): Promise<OwnedChat>;
  addServer(userId: string, chat: OwnedChat, serverId: string): Promise<void>;
}

export interface ServersRouterDeps {
  catalogue: CatalogueService;
  preferences: PreferenceStore;
  handlers: UserHandlers;
  /** The chat a connect names, if any, gets the server too (the chat service; declared here so tools/ needs nothing of chats/). */
  chats: ChatServers;
}

export function serversRouter({ catalogue, handlers, chats, preferences }: ServersRouterDeps) {
  const connects = new RateLimiter({ burst: 10, perMinute: 20 }, 'server connections');

  return router({
    list: protectedProcedure.query(async ({ ctx }): Promise<ServerDto[]> => {
      const entries = (await catalogue.list()).filter((e) => e.enabled);
      const { tools, servers } = await handlers.mcpFor(ctx.user.id).listTools();
      const states = new Map(servers.map((s) => [s.serverId, s]));
      const mine = await preferences.forUser(ctx.user.id);
      return entries.map((entry) => toServerDto(entry, states.get(entry.id), tools, mine));
    }),

    connect: protectedProcedure.input(connectInput).mutation(async ({ ctx, input }): Promise<ServerDto> => {
      connects.take(ctx.user.id);
      const chat = input.chatId ? await chats.owned(ctx.user.id, input.chatId) : undefined;
      const { tools, servers } = await handlers.connect(ctx.user.id, input.serverId);
      if (chat) await chats.addServer(ctx.user.id, chat, input.serverId);
      const entry = await catalogue.get(input.serverId);
      const state = servers.find((s) => s.serverId === input.serverId);
      return toServerDto(entry!, state, tools, await preferences.forUser(ctx.user.id));
    }),

    /** Tightens a tool for the caller only: `ask` every time, or `deny` (hidden from their model); null clears it. */
    setToolPreference: protectedProcedure.input(toolPreferenceInput).mutation(async ({ ctx, input }) => {
      if (!(await catalogue.get(input.serverId))) throw serverNotInCatalogue(input.serverId);
      await preferences.set(ctx.user.id, input.serverId, input.toolName, input.policy);
      return { serverId: input.serverId, toolName: input.toolName, myPolicy: input.policy };
    }),

    disconnect: protectedProcedure.input(serverRef).mutation(async ({ ctx, input }) => {
      await handlers.disconnect(ctx.user.id, input.serverId);
      return { serverId: input.serverId, connection: 'disconnected' as const };
    }),
  });
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
    error: state?.status === 'unavailable' ? state.error : null,
    tools: tools.filter((t) => t.serverId === entry.id).map((t) => toToolDto(t, entry, mine.get(personalKey(entry.id, t.name)) ?? null)),
  };
}

function toToolDto(tool: McpTool, entry: CatalogueEntry, myPolicy: PersonalPolicy | null): ToolDto {
  return {
    uniqueName: tool.uniqueName,
    name: tool.name,
    title: tool.title ?? null,
    description: tool.description,
    annotations: tool.annotations,
    policy: cataloguePolicy({ name: tool.name, annotations: tool.annotations }, entry).policy,
    myPolicy,
    held: Boolean(tool.held),
  };
}
