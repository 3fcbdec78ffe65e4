/**
 * Checks edited tool arguments in the browser before they are sent, with the same JSON Schema
 * validator the server uses (@cfworker/json-schema), so the person sees the problem next to
 * the editor; the server checks again and has the last word.
 */
import { Validator, type Schema, type SchemaDraft } from '@cfworker/json-schema';

export type ArgumentsCheck = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

const drafts: [RegExp, SchemaDraft][] = [
  [/draft-04/, '4'],
  [/draft-07/, '7'],
  [/2019-09/, '2019-09'],
  [/2020-12/, '2020-12'],
];

export function checkArgumentsText(text: string, schema: Record<string, unknown>): ArgumentsCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: ['The arguments must be a JSON object: { "name": value, … }'] };
  }
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  // MCP: a tool schema without $schema is JSON Schema 2020-12.
  const draft = drafts.find(([pattern]) => pattern.test(declared))?.[1] ?? '2020-12';
  let result;
  try {
    result = new Validator({ type: 'object', ...schema } as Schema, draft, false).validate(value);
  } catch {
    // A schema this validator cannot read: leave the verdict to the server.
    return { ok: true, value: value as Record<string, unknown> };
  }
  if (result.valid) return { ok: true, value: value as Record<string, unknown> };
  // The innermost errors name the field; the outer ones only repeat that some property failed.
  const specific = result.errors.filter((error) => !['properties', 'allOf', '$ref', 'false'].includes(error.keyword));
  const problems = (specific.length ? specific : result.errors).map(
    (error) => `${error.instanceLocation === '#' ? 'arguments' : error.instanceLocation.slice(2)}: ${error.error}`,
  );
  return { ok: false, problems };
}
