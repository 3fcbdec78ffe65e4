/**
 * A procedure that failed unexpectedly, over HTTP or the WebSocket, is logged under the error id
 * its caller was told (trpc.ts's errorFormatter): what the person quotes finds the line.
 */
import type { TRPCError } from '@trpc/server';
import type { Logger } from '../log.ts';
import { type Context, callId } from './trpc.ts';

export function logUnexpectedFailures(log: Logger) {
  return ({ error, path, ctx }: { error: TRPCError; path: string | undefined; ctx?: Context | undefined }) => {
    if (error.code !== 'INTERNAL_SERVER_ERROR') return;
    log.error('procedure failed', { path, errorId: ctx && callId(ctx), userId: ctx?.user?.id, error: error.cause ?? error });
  };
}
