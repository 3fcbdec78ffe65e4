/**
 * Types that cross the wire. Only plain data (ISO-string dates), so that the typed client
 * other services import carries no database or runtime types.
 */
export type Role = 'user' | 'admin';

/** Who is signed in, as every procedure sees it. */
export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
  role: Role;
  /** How the caller authenticated: a browser session cookie or a service API token. */
  via: 'session' | 'api-token';
}
