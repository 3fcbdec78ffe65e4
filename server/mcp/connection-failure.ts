/**
 * What any request to a server can meet on its way, whatever it asked (a tool call, a resource
 * read): the server wants the person to sign in, its authorisation server refused, it refused over
 * HTTP, or it closed the connection. Worded once for every kind of request; undefined for anything
 * else, which each request words itself.
 */
import { OAuthError, SdkError, SdkErrorCode, SdkHttpError, UnauthorizedError } from '@modelcontextprotocol/client';
import { refusedBy } from './oauth/refusal.ts';
import { NeedsSignIn } from './oauth/server-auth.ts';

export interface ConnectionFailure {
  kind: 'needs-sign-in' | 'unavailable';
  message: string;
}

export function connectionFailure(error: unknown, serverName: string): ConnectionFailure | undefined {
  // Before the request reached the server's handler: the server wants the person to sign in (again, or with more scope).
  if (error instanceof UnauthorizedError) return { kind: 'needs-sign-in', message: new NeedsSignIn(serverName).message };
  if (error instanceof OAuthError) return { kind: 'unavailable', message: `${serverName}: ${refusedBy(error)}` };
  if (error instanceof SdkHttpError) return { kind: 'unavailable', message: `${serverName} refused the request (HTTP ${error.status})` };
  if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) {
    return { kind: 'unavailable', message: `${serverName} closed the connection before answering` };
  }
  return undefined;
}
