/**
 * Who is calling, and the life of their sessions. Framework-free: routes, the tRPC context and
 * the WebSocket layer all come through here. A request is authenticated by a service API token
 * (`Authorization: Bearer cs_…`) or by the session cookie.
 */
import { z } from 'zod';
import type { Role, SessionUser } from '../../shared/types.ts';
import { type ControlChannel, controlTopic } from '../cluster/control-channel.ts';
import type { Logger } from '../log.ts';
import type { ApiTokens, IssueOptions } from './api-tokens.ts';
import type { Cookies } from './cookies.ts';
import { SignInError } from './errors.ts';
import type { IdentityTokens } from './identity-tokens.ts';
import type { Sessions, ValidSession } from './sessions.ts';
import type { SignInFlow } from './sign-in-flow.ts';
import type { StoredUser, UserStore } from './users-store.ts';

/** `tokenHash` names the one session that ended; without it, every session of the user ended. */
export interface SessionsEndedEvent {
  userId: string;
  tokenHash?: string;
}

/** Sessions of the person ended (sign-out, disabled, role changed, token revoked): their sockets re-check, their handlers go. */
const sessionsEnded = controlTopic<SessionsEndedEvent>(
  'sessions-ended',
  z.object({ userId: z.string(), tokenHash: z.string().optional() }),
);

export interface AuthServiceOptions {
  users: UserStore;
  sessions: Sessions;
  apiTokens: ApiTokens;
  flow: SignInFlow;
  /** Keeps each person's sign-in tokens, for exchanges on their behalf. */
  identityTokens: IdentityTokens;
  cookies: Cookies;
  /** Emails or subjects (Entra ID object ids) that always have the admin role. */
  admins: readonly string[];
  /** Where ended sessions are announced, so that every instance closes the sockets and handlers they held. */
  control: ControlChannel;
  log: Logger;
}

export class AuthService {
  readonly cookies: Cookies;
  /** A valid access token from a person's sign-in (saved at each sign-in), for on-behalf-of exchanges. */
  readonly identityTokens: IdentityTokens;
  readonly #admins: Set<string>;
  /** Which session authenticated a SessionUser, so `logout` in tRPC (which sees only the user) can end it. */
  readonly #sessionOf = new WeakMap<SessionUser, ValidSession>();
  /** When the API token that authenticated a SessionUser expires, for tokens issued with an expiry. */
  readonly #tokenExpiryOf = new WeakMap<SessionUser, Date>();
  /** Hear sessions ended: announced through any instance, or found ended here once the control channel is back. */
  readonly #endedListeners = new Set<(event: SessionsEndedEvent) => void>();

  constructor(private readonly options: AuthServiceOptions) {
    this.cookies = options.cookies;
    this.identityTokens = options.identityTokens;
    this.#admins = new Set(options.admins.map((a) => a.toLowerCase()));
    options.control.on(sessionsEnded, (event) => this.#tellEnded(event));
  }

  async authenticate(request: Request): Promise<SessionUser | null> {
    const authorization = request.headers.get('authorization');
    // A Bearer header means a service: a bad token fails rather than falling back to a cookie.
    if (authorization && /^bearer /i.test(authorization)) {
      const token = await this.options.apiTokens.verify(authorization.slice(7).trim());
      const user = token ? await this.options.users.findById(token.userId) : undefined;
      if (!token || !user || user.disabled) return null;
      const sessionUser = this.#toSessionUser(user, 'api-token');
      if (token.expiresAt) this.#tokenExpiryOf.set(sessionUser, token.expiresAt);
      return sessionUser;
    }
    const token = this.cookies.session(request);
    if (!token) return null;
    const session = await this.options.sessions.validate(token);
    if (!session) return null;
    const user = await this.options.users.findById(session.userId);
    if (!user) return null;
    if (user.disabled) {
      await this.#endAllSessions(user.id, 'user is disabled');
      return null;
    }
    const sessionUser = this.#toSessionUser(user, 'session');
    this.#sessionOf.set(sessionUser, session);
    return sessionUser;
  }

  /** The provider URL to send the browser to, and the cookie value holding the attempt. */
  beginSignIn(returnTo: string | null) {
    return this.options.flow.begin(returnTo);
  }

  /**
   * Verifies the provider's callback and opens a session, ending the one the browser held before;
   * throws SignInError (nothing stored, the earlier session kept) otherwise.
   */
  async completeSignIn(request: Request): Promise<{ token: string; returnTo: string }> {
    const { profile, tokens, returnTo } = await this.options.flow.complete(new URL(request.url).searchParams, this.cookies.signIn(request));
    const existing = await this.options.users.findByIdentity(profile.issuer, profile.subject);
    if (existing?.disabled) {
      throw new SignInError(
        403,
        'Your account is disabled',
        'An administrator has disabled this account on this Countersign server. Ask them to enable it.',
      );
    }
    const user = await this.options.users.upsertOnSignIn(profile, new Date());
    // Kept past sign-out on purpose: the person's running chats may still act on their behalf.
    await this.identityTokens.save(user.id, tokens);
    // A browser holds one session: the one its cookie held (this account's or another's) ends,
    // so neither a copy of that cookie nor a tab still connected with it outlives this sign-in.
    await this.logout(request);
    const token = await this.options.sessions.create(user.id, request.headers.get('user-agent'));
    this.options.log.info('signed in', { userId: user.id, issuer: profile.issuer });
    return { token, returnTo };
  }

  /** Ends the session whose cookie the request carries, if any. */
  async logout(request: Request): Promise<void> {
    const token = this.cookies.session(request);
    const session = token ? await this.options.sessions.validate(token) : null;
    if (session) await this.#endSession(session.userId, session.tokenHash);
  }

  /** Ends the session that authenticated `user` (from `authenticate`); false for API tokens. */
  async endSessionOf(user: SessionUser): Promise<boolean> {
    const tokenHash = this.#sessionOf.get(user)?.tokenHash;
    if (!tokenHash) return false;
    await this.#endSession(user.id, tokenHash);
    return true;
  }

  /**
   * When the session that authenticated `user` (from `authenticate`) lapses unless it is used
   * again, or its API token expires; undefined for a token with no expiry, which ends only by
   * revocation. Open sockets re-check then.
   */
  validUntil(user: SessionUser): Date | undefined {
    return this.#sessionOf.get(user)?.expiresAt ?? this.#tokenExpiryOf.get(user);
  }

  /** Disables the user and ends all their sessions; false when no such user exists. */
  async disableUser(userId: string): Promise<boolean> {
    if (!(await this.options.users.setDisabled(userId, true))) return false;
    await this.#endAllSessions(userId, 'user disabled');
    return true;
  }

  /** Lets a disabled user sign in again; false when no such user exists. */
  enableUser(userId: string): Promise<boolean> {
    return this.options.users.setDisabled(userId, false);
  }

  /** Ends every session of the user and closes their sockets (an admin's "sign out everywhere"). */
  endSessions(userId: string): Promise<void> {
    return this.#endAllSessions(userId, 'ended by an admin');
  }

  /** Admin by configuration (ADMINS, or a development account): the stored role cannot take that away. */
  isConfiguredAdmin(user: { email: string | null; subject: string }): boolean {
    return (user.email !== null && this.#admins.has(user.email.toLowerCase())) || this.#admins.has(user.subject.toLowerCase());
  }

  /** Changes the stored role and ends the user's sessions, so no socket keeps the old role. */
  async setRole(userId: string, role: Role): Promise<boolean> {
    if (!(await this.options.users.setRole(userId, role))) return false;
    await this.#endAllSessions(userId, 'role changed');
    return true;
  }

  /** Returns the plain token, once. */
  async issueApiToken(userId: string, label: string): Promise<string> {
    return (await this.issueApiTokenWithId(userId, label)).token;
  }

  /** The plain token (once) and the stored token's id, for the admin console. */
  issueApiTokenWithId(userId: string, label: string, options: IssueOptions = {}): Promise<{ id: string; token: string }> {
    return this.options.apiTokens.issue(userId, label, options);
  }

  /** Revokes a token and closes the sockets it opened; false when no unrevoked token has that id. */
  async revokeApiToken(id: string): Promise<boolean> {
    const revoked = await this.options.apiTokens.revoke(id);
    if (!revoked) return false;
    this.options.log.info('api token revoked', { tokenId: id, userId: revoked.userId });
    // Sockets re-check their credentials on this event; those opened with the revoked token close.
    await this.#announce({ userId: revoked.userId });
    return true;
  }

  /**
   * For the WebSocket layer, to close sockets whose session ended, and for the person's handlers:
   * hears sessions ended through any instance, and those found ended here after the control channel
   * was down (onSessionsMissed). Returns an unsubscribe function.
   */
  onSessionsEnded(listener: (event: SessionsEndedEvent) => void): () => void {
    this.#endedListeners.add(listener);
    return () => this.#endedListeners.delete(listener);
  }

  /**
   * For the WebSocket layer: while the control channel was down, sessions may have ended through
   * another instance unheard. Once it is back, `recheck` re-checks every socket here and names the
   * people whose session it found ended; onSessionsEnded then tells of them as if it had been
   * heard (their handlers go). Returns an unsubscribe function.
   */
  onSessionsMissed(recheck: () => Promise<string[]>): () => void {
    return this.options.control.onResubscribed(async () => {
      for (const userId of await recheck()) this.#tellEnded({ userId });
    });
  }

  #tellEnded(event: SessionsEndedEvent): void {
    for (const listener of this.#endedListeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log.error('sessions-ended listener failed', { userId: event.userId, error });
      }
    }
  }

  #toSessionUser(user: StoredUser, via: SessionUser['via']): SessionUser {
    return { id: user.id, email: user.email, name: user.name, role: this.isConfiguredAdmin(user) ? 'admin' : user.role, via };
  }

  async #endSession(userId: string, tokenHash: string): Promise<void> {
    if (await this.options.sessions.invalidate(tokenHash)) await this.#announce({ userId, tokenHash });
  }

  async #endAllSessions(userId: string, reason: string): Promise<void> {
    const ended = await this.options.sessions.invalidateAllFor(userId);
    this.options.log.info('sessions ended', { userId, reason, count: ended.length });
    // Announced even with no sessions left: sockets opened with an API token must close too.
    await this.#announce({ userId });
  }

  /**
   * The sessions are ended in the database already; a failed announcement is logged rather than
   * failing the request: sockets elsewhere still re-check when their session would have lapsed.
   */
  async #announce(event: SessionsEndedEvent): Promise<void> {
    try {
      await this.options.control.publish(sessionsEnded, event);
    } catch (error) {
      this.options.log.error('announcing ended sessions failed', { userId: event.userId, error });
    }
  }
}
