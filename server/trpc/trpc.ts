/**
 * tRPC's building blocks: the context each request carries and the procedure kinds.
 * The context holds request data only; routers get their dependencies from their factory,
 * so no database or Bun type reaches `AppRouter` and the client other services import.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { SessionUser } from '../../shared/types.ts';
import { describeBadRequest } from './bad-request.ts';
import { fromDomainError } from './domain-errors.ts';
import { currentRequestId } from '../logging/request-context.ts';
import { inProcedureSpan } from '../telemetry/procedure-span.ts';

export interface Context {
  user: SessionUser | null;
  /** The HTTP request's id; on a WebSocket, its upgrade's, which every call on it shares (see callId). */
  requestId: string;
  /** Aborted when the client goes away (HTTP request or WebSocket closed). */
  signal: AbortSignal | undefined;
}

/**
 * The id of the call being handled: the one its log lines carry. Each call on a WebSocket has its
 * own (the socket's id and its number, ws-bridge.ts), which the context made for the socket cannot.
 */
export const callId = (ctx: Context): string => currentRequestId() ?? ctx.requestId;

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx, input }) {
    // Unexpected errors are logged on the server with this id; the client sees only the id.
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      const errorId = ctx && callId(ctx);
      return {
        ...shape,
        message: `Something went wrong on the server. Quote error id ${errorId ?? 'unknown'} when reporting it.`,
        data: { ...shape.data, stack: undefined, errorId },
      };
    }
    if (error.code === 'BAD_REQUEST') {
      const { message, ...detail } = describeBadRequest(error, input);
      return { ...shape, message, data: { ...shape.data, stack: undefined, ...detail } };
    }
    return { ...shape, data: { ...shape.data, stack: undefined } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure: traced (telemetry/procedure-span.ts); a service's DomainError reaches the caller with its tRPC code (domain-errors.ts). */
const procedure = t.procedure
  .use(({ path, ctx, next }) => inProcedureSpan(path, callId(ctx), next))
  .use(async ({ next }) => {
    const result = await next();
    return result.ok ? result : { ...result, error: fromDomainError(result.error) };
  });

/** Procedures that need a signed-in caller; `ctx.user` is then non-null. */
export const protectedProcedure = procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first: no valid session or API token was sent.' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
