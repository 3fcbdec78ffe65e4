/**
 * Every cookie sign-in sets, in one place: HttpOnly (scripts never see tokens), SameSite=Lax
 * (sent on the provider's top-level redirect back, not on cross-site POSTs), Path=/, and
 * Secure outside development and test. Over HTTPS the session cookie also takes the `__Host-`
 * prefix, so no subdomain can plant or shadow it.
 */
const SIGN_IN_ATTEMPT_SECONDS = 10 * 60;
/**
 * The server decides when a session ends (sliding expiry in the database); the cookie only
 * carries the token, so it lives as long as browsers allow (400 days) instead of being re-sent
 * on every extension.
 */
const SESSION_COOKIE_SECONDS = 400 * 24 * 3600;

export class Cookies {
  readonly sessionName: string;
  readonly signInName: string;

  constructor(private readonly secure: boolean) {
    this.sessionName = secure ? '__Host-countersign_session' : 'countersign_session';
    this.signInName = secure ? '__Host-countersign_sign_in' : 'countersign_sign_in';
  }

  session(request: Request): string | undefined {
    return readCookie(request, this.sessionName);
  }
  setSession(token: string): string {
    return this.#serialize(this.sessionName, token, SESSION_COOKIE_SECONDS);
  }
  clearSession(): string {
    return this.#serialize(this.sessionName, '', 0);
  }

  /** The pending sign-in (state, nonce, PKCE verifier, where to return), for ten minutes. */
  signIn(request: Request): string | undefined {
    return readCookie(request, this.signInName);
  }
  setSignIn(value: string): string {
    return this.#serialize(this.signInName, value, SIGN_IN_ATTEMPT_SECONDS);
  }
  clearSignIn(): string {
    return this.#serialize(this.signInName, '', 0);
  }

  #serialize(name: string, value: string, maxAgeSeconds: number): string {
    return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`;
  }
}

/** Values we set are base64url, so they need no decoding; anything else is ignored. */
function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
    }
  }
  return undefined;
}
