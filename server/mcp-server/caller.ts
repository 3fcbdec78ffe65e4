/**
 * Who is calling the built-in server, carried with each request as the SDK's `authInfo`: the /mcp
 * route puts there the user its token proves, the in-process link the user its client named. One
 * server instance can then serve many people, and a tool learns the caller only here.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';

const CLIENT_ID = 'countersign';

export function callerAuth(userId: string, token = ''): AuthInfo {
  return { token, clientId: CLIENT_ID, scopes: [], extra: { userId } };
}

/** The calling user's id, from a handler's context; a request that names nobody is refused rather than served as anyone. */
export function callerOf(ctx: { http?: { authInfo?: AuthInfo | undefined } | undefined }): string {
  const userId = ctx.http?.authInfo?.extra?.userId;
  if (typeof userId !== 'string' || userId === '') throw new Error('this request does not say which user is calling');
  return userId;
}
