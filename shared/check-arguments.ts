/**
 * Checks a tool call's arguments against the tool's input JSON Schema: the server before an
 * edited call may run, the web chat as the person types (the server has the last word).
 *
 * @cfworker/json-schema rather than ajv: it interprets schemas instead of compiling them to
 * JavaScript (ajv's `new Function` per schema), which suits schemas that come from third-party
 * MCP servers and a page whose Content-Security-Policy forbids eval; it is small,
 * dependency-free, covers drafts 4, 7, 2019-09 and 2020-12, and is the validator the MCP SDK
 * itself offers for runtimes without code generation.
 */
import { Validator, type Schema, type SchemaDraft } from '@cfworker/json-schema';

export type ArgumentCheck = { ok: true } | { ok: false; problems: string[] };

const drafts: [RegExp, SchemaDraft][] = [
  [/draft-04/, '4'],
  [/draft-07/, '7'],
  [/2019-09/, '2019-09'],
  [/2020-12/, '2020-12'],
];

/** Throws when the validator cannot read the schema itself. */
export function checkArguments(schema: Record<string, unknown>, args: unknown): ArgumentCheck {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return { ok: false, problems: ['arguments must be a JSON object'] };
  }
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  // MCP says a schema without $schema is 2020-12.
  const draft = drafts.find(([pattern]) => pattern.test(declared))?.[1] ?? '2020-12';
  const result = new Validator({ type: 'object', ...schema } as Schema, draft, false).validate(args);
  if (result.valid) return { ok: true };
  // The innermost errors name the field; the outer ones only repeat "properties did not match".
  const specific = result.errors.filter((error) => !['properties', 'allOf', '$ref', 'false'].includes(error.keyword));
  const problems = (specific.length ? specific : result.errors).map(
    (error) => `${error.instanceLocation === '#' ? 'arguments' : error.instanceLocation.slice(2)}: ${error.error}`,
  );
  return { ok: false, problems };
}
