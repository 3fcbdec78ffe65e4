/** Builds the tRPC context from a request: who is calling, and a request id for error reports. */
import type { SessionUser } from '../../shared/types.ts';
import type { Context } from './trpc.ts';

export type Authenticate = (request: Request) => Promise<SessionUser | null>;

export function newRequestId(): string {
  return crypto.randomUUID().slice(0, 8);
}

export async function contextFor(authenticate: Authenticate, request: Request, signal: AbortSignal | undefined): Promise<Context> {
  return { user: await authenticate(request), requestId: newRequestId(), signal };
}
