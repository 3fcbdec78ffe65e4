/**
 * The server form's text fields (one entry per line, as people paste them) turned into the API's
 * input, and back. Secret headers, environment values and the OAuth client secret are write-only:
 * an edit form starts them empty, and leaving them empty keeps what is stored. Settings the chosen
 * auth mode does not use are cleared, so nothing stale is kept (or sent) behind the admin's back.
 */
import type { ResultOf, VariablesOf } from '../api/graphql.ts';
import { t } from '../../../shared/i18n/t.ts';
import type { ServerQuery, UpdateServer } from '../api/operations.ts';
import { type AuthField, type AuthMode, usesField } from './auth-modes.ts';

export type ServerInput = VariablesOf<typeof UpdateServer>['input'];
type Server = NonNullable<ResultOf<typeof ServerQuery>['server']>;
export type Transport = NonNullable<ServerInput['transport']>;
export type Policy = NonNullable<ServerInput['defaultPolicy']>;
export type LogLevel = NonNullable<ServerInput['logLevel']>;
export type SamplingPolicy = NonNullable<ServerInput['samplingPolicy']>;

/** One row of the allowed roots editor; a row left without a URI is not sent. */
export interface RootRow {
  uri: string;
  name: string;
}

export interface ServerFormState {
  name: string;
  description: string;
  transport: Transport;
  url: string;
  command: string;
  args: string;
  env: string;
  headers: string;
  secretHeaders: string;
  /** Editing only: drop the stored secret headers even though none are typed. */
  clearSecrets: boolean;
  authMode: AuthMode;
  oauthClientId: string;
  oauthIssuer: string;
  /** A new client secret or private key; empty keeps the stored one. */
  oauthClientSecret: string;
  /** Editing only: drop the stored client secret. */
  clearClientSecret: boolean;
  oauthScopes: string;
  defaultPolicy: Policy;
  logLevel: LogLevel;
  samplingPolicy: SamplingPolicy;
  /** NaN while the field is empty or not a number. */
  samplingMaxTokens: number;
  allowedRoots: RootRow[];
  trusted: boolean;
  enabled: boolean;
}

export const emptyForm = (): ServerFormState => ({
  name: '',
  description: '',
  transport: 'STREAMABLE_HTTP',
  url: '',
  command: '',
  args: '',
  env: '',
  headers: '',
  secretHeaders: '',
  clearSecrets: false,
  authMode: 'NONE',
  oauthClientId: '',
  oauthIssuer: '',
  oauthClientSecret: '',
  clearClientSecret: false,
  oauthScopes: '',
  defaultPolicy: 'ASK',
  logLevel: 'WARNING',
  samplingPolicy: 'OFF',
  samplingMaxTokens: 1024,
  allowedRoots: [],
  trusted: false,
  enabled: true,
});

export function formFrom(server: Server): ServerFormState {
  return {
    ...emptyForm(),
    name: server.name,
    description: server.description,
    transport: server.transport,
    url: server.url ?? '',
    command: server.command ?? '',
    args: server.args.join('\n'),
    headers: server.headers.map((h) => `${h.name}: ${h.value}`).join('\n'),
    authMode: server.authMode,
    oauthClientId: server.oauthClientId ?? '',
    oauthIssuer: server.oauthIssuer ?? '',
    oauthScopes: server.oauthScopes ?? '',
    defaultPolicy: server.defaultPolicy,
    logLevel: server.logLevel,
    samplingPolicy: server.samplingPolicy,
    samplingMaxTokens: server.samplingMaxTokens,
    allowedRoots: server.allowedRoots.map((root) => ({ uri: root.uri, name: root.name ?? '' })),
    trusted: server.trusted,
    enabled: server.enabled,
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** `Name<sep>value` lines; a line without the separator is reported by its number. */
function pairs(text: string, separator: string, field: string): { name: string; value: string }[] {
  return lines(text).map((line, index) => {
    const at = line.indexOf(separator);
    if (at <= 0) throw new Error(t('console.serverForm.badLine', field, index + 1, `NAME${separator === '=' ? '=' : ': '}value`));
    return { name: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
  });
}

/** Throws an Error naming the field (and the line, in a list) when it cannot be read. */
export function toServerInput(form: ServerFormState, editing: boolean): ServerInput {
  // The cap is on the form only while sampling is on; otherwise an unreadable one keeps the stored cap.
  const cap = Number.isInteger(form.samplingMaxTokens) ? form.samplingMaxTokens : undefined;
  if (cap === undefined && form.samplingPolicy !== 'OFF') throw new Error(t('console.serverForm.samplingCapNotNumber'));
  const http = form.transport !== 'STDIO';
  const input: ServerInput = {
    name: form.name.trim(),
    description: form.description.trim(),
    transport: form.transport,
    url: http ? form.url.trim() : null,
    command: http ? null : form.command.trim(),
    args: http ? [] : lines(form.args),
    headers: pairs(form.headers, ':', t('console.serverForm.headersField')),
    defaultPolicy: form.defaultPolicy,
    logLevel: form.logLevel,
    samplingPolicy: form.samplingPolicy,
    ...(cap === undefined ? {} : { samplingMaxTokens: cap }),
    allowedRoots: form.allowedRoots
      .filter((root) => root.uri.trim())
      .map((root) => ({ uri: root.uri.trim(), name: root.name.trim() || null })),
    trusted: form.trusted,
    enabled: form.enabled,
  };
  const env = pairs(form.env, '=', t('console.serverForm.envField'));
  if (!http && (env.length > 0 || !editing)) input.env = env;
  const withSecrets = usesField(form.authMode, 'secretHeaders');
  const secrets = withSecrets
    ? pairs(form.secretHeaders, ':', t('console.serverForm.secretHeadersField')).map(({ name, value }) => ({ name, reference: value }))
    : [];
  // A mode without secret headers removes the stored ones: they would still go out with every call.
  if (secrets.length > 0 || !editing || form.clearSecrets || !withSecrets) input.secretHeaders = secrets;
  return { ...input, ...authInput(form, editing) };
}

/** The auth mode and its OAuth settings; those the mode does not use are cleared (null). */
function authInput(form: ServerFormState, editing: boolean): ServerInput {
  const uses = (field: AuthField) => usesField(form.authMode, field);
  const input: ServerInput = {
    authMode: form.authMode,
    oauthClientId: uses('oauthClientId') ? form.oauthClientId.trim() || null : null,
    oauthIssuer: uses('oauthIssuer') && form.oauthClientId.trim() ? form.oauthIssuer.trim() || null : null,
    oauthScopes: uses('oauthScopes') ? form.oauthScopes.trim() || null : null,
  };
  const secret = form.oauthClientSecret.trim();
  if (!uses('oauthClientSecret') || form.clearClientSecret) input.oauthClientSecret = null;
  else if (secret || !editing) input.oauthClientSecret = secret || null;
  return input;
}
