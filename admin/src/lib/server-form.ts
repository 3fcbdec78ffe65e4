/**
 * The server form's text fields (one entry per line, as people paste them) turned into the API's
 * input, and back. Secret headers and environment values are write-only: an edit form starts them
 * empty, and leaving them empty keeps what is stored.
 */
import type { ResultOf, VariablesOf } from '../api/graphql.ts';
import type { ServerQuery, UpdateServer } from '../api/operations.ts';

export type ServerInput = VariablesOf<typeof UpdateServer>['input'];
type Server = NonNullable<ResultOf<typeof ServerQuery>['server']>;
export type Transport = NonNullable<ServerInput['transport']>;
export type Policy = NonNullable<ServerInput['defaultPolicy']>;

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
  defaultPolicy: Policy;
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
  defaultPolicy: 'ASK',
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
    defaultPolicy: server.defaultPolicy,
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
    if (at <= 0) throw new Error(`${field}, line ${index + 1}: write it as NAME${separator === '=' ? '=' : ': '}value`);
    return { name: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
  });
}

/** Throws an Error naming the line when a list field cannot be read. */
export function toServerInput(form: ServerFormState, editing: boolean): ServerInput {
  const http = form.transport !== 'STDIO';
  const input: ServerInput = {
    name: form.name.trim(),
    description: form.description.trim(),
    transport: form.transport,
    url: http ? form.url.trim() : null,
    command: http ? null : form.command.trim(),
    args: http ? [] : lines(form.args),
    headers: pairs(form.headers, ':', 'Headers'),
    defaultPolicy: form.defaultPolicy,
    trusted: form.trusted,
    enabled: form.enabled,
  };
  const env = pairs(form.env, '=', 'Environment');
  if (!http && (env.length > 0 || !editing)) input.env = env;
  const secrets = pairs(form.secretHeaders, ':', 'Secret headers').map(({ name, value }) => ({ name, reference: value }));
  if (secrets.length > 0 || !editing || form.clearSecrets) input.secretHeaders = secrets;
  return input;
}
