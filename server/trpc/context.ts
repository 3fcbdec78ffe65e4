/** Builds the tRPC context from a request: who is calling, and the request's id (logging/request-context.ts), quoted in error reports. */
import type { SessionUser } from '../../shared/types.ts';
import { currentRequestId, newRequestId } from '../logging/request-context.ts';
import type { Context } from './trpc.ts';

export type Authenticate = (request: Request) => Promise<SessionUser | null>;

export async function contextFor(authenticate: Authenticate, request: Request, signal: AbortSignal | undefined): Promise<Context> {
  return { user: await authenticate(request), requestId: currentRequestId() ?? newRequestId(), signal };
}
