/**
 * `servers`: the catalogue as a person sees it, their own connections to it, the resources they
 * read through them, and their own sign-ins at its servers.
 */
import { connectInput, readResourceInput, serverRef, toolPreferenceInput } from '../../shared/inputs/servers.ts';
import type { RateLimiters } from '../trpc/rate-limit.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { ToolService } from './service.ts';

export function serversRouter(tools: ToolService, limiters: RateLimiters) {
  const connects = limiters({ name: 'connects', what: 'server connections', burst: 10, perMinute: 20 });
  // Each read reaches an MCP server on the person's behalf, as a connect does.
  const reads = limiters({ name: 'resource-reads', what: 'resource reads', burst: 20, perMinute: 60 });
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

    authorisations: protectedProcedure.query(({ ctx }) => tools.authorisations(ctx.user.id)),

    revokeAuthorisation: protectedProcedure
      .input(serverRef)
      .mutation(({ ctx, input }) => tools.revokeAuthorisation(ctx.user.id, input.serverId)),
  });
}
