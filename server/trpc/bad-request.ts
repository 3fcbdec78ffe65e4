/**
 * What a BAD_REQUEST tells the caller: one sentence a person can act on. An input that failed its
 * schema is told from the first issue, with every issue and its field path kept for programs;
 * tRPC's own message for it is the issue array as JSON, which the web chat would show as it is.
 */

/** A schema issue as zod reports it (Standard Schema's shape plus zod's code and parameters). */
interface SchemaIssue {
  readonly message: string;
  readonly path?: readonly PropertyKey[] | readonly { key: PropertyKey }[];
  readonly code?: string;
  readonly [detail: string]: unknown;
}

export interface IssueDto {
  path: (string | number)[];
  message: string;
  code: string;
}

export interface DescribedBadRequest {
  message: string;
  /** Where the first problem is, as keys from the input's root (an input that failed its schema). */
  fieldPath?: (string | number)[];
  issues?: IssueDto[];
}

/** `input` is the raw input, so a missing field can be told apart from one of the wrong type. */
export function describeBadRequest(error: { message: string; cause?: unknown }, input: unknown): DescribedBadRequest {
  const issues = schemaIssues(error.cause);
  if (error.cause instanceof SyntaxError) return { message: `The input is not valid JSON (${error.cause.message}).` };
  if (!issues) return { message: isSentence(error.message) ? error.message : `${error.message.trim()}.` };
  const described = issues.map((issue): IssueDto => {
    const path = pathOf(issue);
    return { path, message: sentenceFor(issue, path, valueAt(input, path)), code: issue.code ?? 'custom' };
  });
  const first = described[0]!;
  return { message: first.message, fieldPath: first.path, issues: described };
}

/** The issues of a failed parse, if `cause` is one (a ZodError, or tRPC's Standard Schema error). */
function schemaIssues(cause: unknown): readonly SchemaIssue[] | undefined {
  const issues = (cause as { issues?: unknown } | null | undefined)?.issues;
  return Array.isArray(issues) && issues.length > 0 ? (issues as SchemaIssue[]) : undefined;
}

/**
 * Our messages (thrown by routers, or written into our schemas) are sentences for people, ending in
 * a full stop. Zod's own English messages never end in one ("Too big: expected string to have
 * <=64 characters"), nor do tRPC's about a malformed request ("Batch call exceeds maximum size").
 */
function isSentence(message: string): boolean {
  return message.trim().endsWith('.');
}

/** Our schemas' own sentences pass as they are; zod's messages are rephrased from the issue's code and parameters. */
function sentenceFor(issue: SchemaIssue, path: (string | number)[], value: unknown): string {
  if (isSentence(issue.message)) return issue.message.trim();
  const field = path.length ? fieldName(path) : 'The input';
  const n = (key: string) => Number(issue[key]).toLocaleString('en-US');
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `${field} is missing.`;
      if (issue.expected === 'int') return `${field} must be a whole number.`;
      return `${field} must be ${withArticle(String(issue.expected))}, not ${withArticle(typeOf(value))}.`;
    case 'too_big':
      if (issue.origin === 'string') return `${field} is longer than ${n('maximum')} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${field} has more than ${n('maximum')} items.`;
      return `${field} must be at most ${n('maximum')}.`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? `${field} must not be empty.` : `${field} is shorter than ${n('minimum')} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `${field} needs at least ${n('minimum')} ${Number(issue.minimum) === 1 ? 'item' : 'items'}.`;
      return `${field} must be at least ${n('minimum')}.`;
    case 'invalid_format':
      return `${field} must be ${withArticle(FORMATS[String(issue.format)] ?? `${String(issue.format)} string`)}.`;
    case 'invalid_value':
      return `${field} must be ${oneOf(issue.values)}.`;
    case 'invalid_union':
      return Array.isArray(issue.options) && issue.options.length ? `${field} must be ${oneOf(issue.options)}.` : `${field} is not valid.`;
    case 'unrecognized_keys':
      return `${field} has fields this API does not know: ${(issue.keys as string[]).join(', ')}.`;
    case 'not_multiple_of':
      return `${field} must be a multiple of ${n('divisor')}.`;
    default:
      return `${field} is not valid.`;
  }
}

const FORMATS: Record<string, string> = {
  uuid: 'UUID',
  email: 'email address',
  url: 'URL',
  datetime: 'ISO 8601 date and time',
  regex: 'string of the expected form',
};

function pathOf(issue: SchemaIssue): (string | number)[] {
  return (issue.path ?? []).map((segment) => {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    return typeof key === 'number' ? key : String(key);
  });
}

/** `decisions[0].action`: the way a programmer reading the API's types names the field. */
function fieldName(path: (string | number)[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function withArticle(noun: string): string {
  if (noun === 'null' || noun === 'undefined') return noun;
  return /^[aeiou]/i.test(noun) && !/^U[A-Z]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function oneOf(values: unknown): string {
  const list = (Array.isArray(values) ? values : []).map((v) => JSON.stringify(v));
  return list.length === 1 ? list[0]! : `one of ${list.join(', ')}`;
}
