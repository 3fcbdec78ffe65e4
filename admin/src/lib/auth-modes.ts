/**
 * The ways a catalogue server's connections prove who is calling, as the server form offers them:
 * a label and one line of help each, and the fields each one uses, so the form shows only those.
 */
import type { ServerInput } from './server-form.ts';

export type AuthMode = NonNullable<ServerInput['authMode']>;

/** The form's auth fields a mode may use. */
export type AuthField = 'secretHeaders' | 'oauthClientId' | 'oauthClientSecret' | 'oauthScopes' | 'oauthIssuer';

export interface AuthModeChoice {
  value: AuthMode;
  label: string;
  help: string;
  /** Reached over HTTP only: Countersign sets the Authorization header itself. */
  httpOnly: boolean;
  uses: readonly AuthField[];
}

export const AUTH_MODES: readonly AuthModeChoice[] = [
  {
    value: 'NONE',
    label: 'None',
    help: 'Countersign adds no credentials: the server needs none.',
    httpOnly: false,
    uses: [],
  },
  {
    value: 'STATIC',
    label: 'Static secret header',
    help: 'One shared secret for everyone, sent in a header from an environment variable of this server.',
    httpOnly: false,
    uses: ['secretHeaders'],
  },
  {
    value: 'OAUTH',
    label: 'Each person signs in (OAuth)',
    help: "Each person signs in once at the server's authorisation server; their calls carry their own token.",
    httpOnly: true,
    uses: ['oauthClientId', 'oauthClientSecret', 'oauthIssuer', 'oauthScopes', 'secretHeaders'],
  },
  {
    value: 'ON_BEHALF_OF',
    label: "Each person's Entra ID sign-in, exchanged on their behalf",
    help: "No second sign-in: each person's Countersign sign-in is exchanged at Entra ID for a token for this server.",
    httpOnly: true,
    uses: ['oauthScopes', 'secretHeaders'],
  },
  {
    value: 'CLIENT_CREDENTIALS',
    label: 'A service identity (client credentials)',
    help: "Everyone's calls use one identity of Countersign's own: a client id with a secret or a private key.",
    httpOnly: true,
    uses: ['oauthClientId', 'oauthClientSecret', 'oauthIssuer', 'oauthScopes', 'secretHeaders'],
  },
];

export function usesField(mode: AuthMode, field: AuthField): boolean {
  return AUTH_MODES.find((m) => m.value === mode)?.uses.includes(field) ?? false;
}
