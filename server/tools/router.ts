/**
 * `servers`: the catalogue as a person sees it, their own connections to it, the resources they
 * read through them, the prompts and resources their chats' servers offer the composer, and their
 * own sign-ins at its servers.
 */
import {
  chatServersInput,
  completeInput,
  connectInput,
  getPromptInput,
  readResourceInput,
  serverRef,
  toolPreferenceInput,
} from '../../shared/inputs/servers.ts';
import type { RateLimiters } from '../trpc/rate-limit.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { ToolService } from './service.ts';

export function serversRouter(tools: ToolService, limiters: RateLimiters) {
  const connects = limiters({ name: 'connects', what: 'server connections', burst: 10, perMinute: 20 });
  // Each read reaches an MCP server on the person's behalf, as a connect does.
  const reads = limiters({ name: 'resource-reads', what: 'resource reads', burst: 20, perMinute: 60 });
  // Typing `/` or `@` lists (from the connection's cache, mostly); choosing a prompt fills it in.
  const lists = limiters({ name: 'server-lists', what: 'prompt and resource listings', burst: 30, perMinute: 120 });
  const prompts = limiters({ name: 'prompt-gets', what: 'prompts filled in', burst: 20, perMinute: 60 });
  // Asked as a person types into an argument (the composer waits for a pause first).
  const completions = limiters({ name: 'completions', what: 'completion requests', burst: 40, perMinute: 240 });
  return router({
    list: protectedProcedure.query(({ ctx }) => tools.list(ctx.user.id)),

    connect: protectedProcedure.input(connectInput).mutation(async ({ ctx, input }) => {
      await connects.take(ctx.user.id);
      return tools.connect(ctx.user.id, input.serverId, input.chatId);
    }),

    setToolPreference: protectedProcedure
      .input(toolPreferenceInput)
      .mutation(({ ctx, input }) => tools.setToolPreference(ctx.user.id, input.serverId, input.toolName, input.policy)),

    disconnect: protectedProcedure.input(serverRef).mutation(({ ctx, input }) => tools.disconnect(ctx.user.id, input.serverId)),

    readResource: protectedProcedure.input(readResourceInput).query(async ({ ctx, input }) => {
      await reads.take(ctx.user.id);
      return tools.readResource(ctx.user.id, input.serverId, input.uri);
    }),

    prompts: protectedProcedure.input(chatServersInput).query(async ({ ctx, input }) => {
      await lists.take(ctx.user.id);
      return tools.prompts(ctx.user.id, input.chatId);
    }),

    // Mutations for their bodies: what a person fills in can outgrow a URL. Neither changes anything.
    getPrompt: protectedProcedure.input(getPromptInput).mutation(async ({ ctx, input }) => {
      await prompts.take(ctx.user.id);
      return tools.getPrompt(ctx.user.id, input.serverId, input.name, input.arguments);
    }),

    resources: protectedProcedure.input(chatServersInput).query(async ({ ctx, input }) => {
      await lists.take(ctx.user.id);
      return tools.resources(ctx.user.id, input.chatId);
    }),

    complete: protectedProcedure.input(completeInput).mutation(async ({ ctx, input }) => {
      await completions.take(ctx.user.id);
      const { serverId, ref, argument, context } = input;
      return tools.complete(ctx.user.id, serverId, { ref, argument, ...(context ? { context } : {}) });
    }),

    authorisations: protectedProcedure.query(({ ctx }) => tools.authorisations(ctx.user.id)),

    revokeAuthorisation: protectedProcedure
      .input(serverRef)
      .mutation(({ ctx, input }) => tools.revokeAuthorisation(ctx.user.id, input.serverId)),
  });
}
