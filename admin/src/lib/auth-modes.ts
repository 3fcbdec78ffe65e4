/**
 * The ways a catalogue server's connections prove who is calling, as the server form offers them:
 * the fields each one uses, so the form shows only those.
 */
import type { ServerInput } from './server-form.ts';

export type AuthMode = NonNullable<ServerInput['authMode']>;

/** The form's auth fields a mode may use. */
export type AuthField = 'secretHeaders' | 'oauthClientId' | 'oauthClientSecret' | 'oauthScopes' | 'oauthIssuer';

export interface AuthModeChoice {
  value: AuthMode;
  /** Reached over HTTP only: Countersign sets the Authorization header itself. */
  httpOnly: boolean;
  uses: readonly AuthField[];
}

/** Each mode's label and help are the catalogue's console.auth.modes.<value>. */
export const AUTH_MODES: readonly AuthModeChoice[] = [
  { value: 'NONE', httpOnly: false, uses: [] },
  { value: 'STATIC', httpOnly: false, uses: ['secretHeaders'] },
  { value: 'OAUTH', httpOnly: true, uses: ['oauthClientId', 'oauthClientSecret', 'oauthIssuer', 'oauthScopes', 'secretHeaders'] },
  { value: 'ON_BEHALF_OF', httpOnly: true, uses: ['oauthScopes', 'secretHeaders'] },
  {
    value: 'CLIENT_CREDENTIALS',
    httpOnly: true,
    uses: ['oauthClientId', 'oauthClientSecret', 'oauthIssuer', 'oauthScopes', 'secretHeaders'],
  },
];

export function usesField(mode: AuthMode, field: AuthField): boolean {
  return AUTH_MODES.find((m) => m.value === mode)?.uses.includes(field) ?? false;
}
