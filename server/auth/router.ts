/** auth.me and auth.logout over tRPC. */
import { TRPCError } from '@trpc/server';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { AuthService } from './auth-service.ts';

export function authRouter(auth: AuthService) {
  return router({
    me: protectedProcedure.query(({ ctx }) => ctx.user),
    /** Ends the caller's session on the server; the browser's cookie is then worthless. */
    logout: protectedProcedure.mutation(async ({ ctx }) => {
      if (!(await auth.endSessionOf(ctx.user))) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'API tokens do not sign out; an administrator revokes them.' });
      }
      return { signedOut: true as const };
    }),
  });
}
