/**
 * The rules of an elicitation form (shared/questions.ts): what a person's values must be to answer
 * the schema a server requested, and each field's label and choices. The web chat checks as the
 * person fills the form in, in their language (`t('form')`); the server checks again before an
 * answer goes back, in English like its other refusals, so nothing the server did not ask for
 * reaches it, whoever drives the API.
 */
import { elicitationDefaults, type ElicitationValue } from './elicitation-defaults.ts';
import { en } from './i18n/en.ts';
import type { ElicitationField, ElicitationSchema } from './questions.ts';

/** The words of the form's problems and limits: the message catalogue's `form` area. */
export type FormWords = (typeof en)['form'];

/** What is wrong with one field's value: `field` is the name in the schema (or the unknown name sent). */
export interface ElicitationProblem {
  field: string;
  message: string;
}

export interface Choice {
  value: string;
  label: string;
}

/** The name a person sees: the field's title, or its name when it has none. */
export function fieldLabel(name: string, field: ElicitationField): string {
  return field.title?.trim() || name;
}

/** A single or multiple choice field's choices, labelled as the server titled them; undefined for free input. */
export function fieldChoices(field: ElicitationField): Choice[] | undefined {
  if (field.type === 'string') {
    if (field.oneOf) return field.oneOf.map((option) => ({ value: option.const, label: option.title ?? option.const }));
    return field.enum?.map((value, at) => ({ value, label: field.enumNames?.[at] ?? value }));
  }
  if (field.type === 'array') {
    if (field.items.anyOf) return field.items.anyOf.map((option) => ({ value: option.const, label: option.title ?? option.const }));
    return (field.items.enum ?? []).map((value) => ({ value, label: value }));
  }
  return undefined;
}

/** What the form starts with: the server's defaults; unticked, or nothing chosen, for checkboxes without one (they have no "unset"). */
export function initialValues(schema: ElicitationSchema): Record<string, ElicitationValue> {
  const values: Record<string, ElicitationValue> = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    if (field.type === 'boolean') values[name] = false;
    if (field.type === 'array') values[name] = [];
  }
  return { ...values, ...elicitationDefaults(schema) };
}

/** A field's bounds in words, shown before the person runs into them: "2 to 50 characters.", "At most 3 choices." */
export function fieldLimits(field: ElicitationField, words: FormWords = en.form): string | undefined {
  if (field.type === 'string') return range(words, field.minLength, field.maxLength, 'character');
  if (field.type === 'number' || field.type === 'integer') return range(words, field.minimum, field.maximum, null);
  if (field.type === 'array') return range(words, field.minItems, field.maxItems, 'choice');
  return undefined;
}

function range(words: FormWords, least: number | undefined, most: number | undefined, unit: 'character' | 'choice' | null) {
  if (least !== undefined && most !== undefined) return words.between(least, most, unit);
  if (least !== undefined) return words.atLeastCount(least, unit);
  return most === undefined ? undefined : words.atMostCount(most, unit);
}

/** What a form sends: a field left empty is left out, so a required one is reported missing rather than sent blank. */
export function filledIn(values: Record<string, ElicitationValue | undefined>): Record<string, ElicitationValue> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== '')) as Record<
    string,
    ElicitationValue
  >;
}

/** Every problem with the values, at most one per field, in the form's order; none means the server's schema accepts them. */
export function elicitationProblems(
  schema: ElicitationSchema,
  content: Record<string, unknown>,
  words: FormWords = en.form,
): ElicitationProblem[] {
  const problems: ElicitationProblem[] = [];
  // Own keys only: a name like "constructor" must not find Object.prototype's.
  const given = (name: string) => Object.hasOwn(content, name) && content[name] !== undefined;
  const known = (name: string) => Object.hasOwn(schema.properties, name);
  for (const [name, field] of Object.entries(schema.properties)) {
    const label = fieldLabel(name, field);
    const message = given(name)
      ? valueProblem(words, field, content[name], label)
      : schema.required?.includes(name)
        ? words.required(label)
        : undefined;
    if (message) problems.push({ field: name, message });
  }
  for (const name of schema.required ?? []) {
    if (!known(name) && !given(name)) problems.push({ field: name, message: words.required(name) });
  }
  for (const name of Object.keys(content)) {
    if (!known(name)) problems.push({ field: name, message: words.unknownField(name) });
  }
  return problems;
}

/** The problems as sentences, each naming its field: empty when the values answer the schema. */
export function checkElicitationContent(schema: ElicitationSchema, content: Record<string, unknown>): string[] {
  return elicitationProblems(schema, content).map((problem) => problem.message);
}

function valueProblem(words: FormWords, field: ElicitationField, value: unknown, label: string): string | undefined {
  switch (field.type) {
    case 'string':
      return textProblem(words, field, value, label);
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) return words.number(label);
      if (field.type === 'integer' && !Number.isInteger(value)) return words.wholeNumber(label);
      if (field.minimum !== undefined && value < field.minimum) return words.atLeast(label, field.minimum);
      if (field.maximum !== undefined && value > field.maximum) return words.atMost(label, field.maximum);
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : words.yesOrNo(label);
    case 'array':
      return choicesProblem(words, field, value, label);
    default:
      // A schema from outside the contract: nothing a person sends can be checked against it.
      return words.unfillable(label);
  }
}

function textProblem(
  words: FormWords,
  field: Extract<ElicitationField, { type: 'string' }>,
  value: unknown,
  label: string,
): string | undefined {
  if (typeof value !== 'string') return words.text(label);
  const choices = fieldChoices(field);
  if (choices && !choices.some((choice) => choice.value === value)) return words.oneOf(label, listed(words, choices));
  // JSON Schema counts characters (code points), not UTF-16 units: an emoji is one.
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength) return words.tooShort(label, field.minLength, length);
  if (field.maxLength !== undefined && length > field.maxLength) return words.tooLong(label, field.maxLength, length);
  if (field.format && !formats[field.format](value)) return words[field.format === 'date-time' ? 'dateTime' : field.format](label);
  return undefined;
}

function choicesProblem(
  words: FormWords,
  field: Extract<ElicitationField, { type: 'array' }>,
  value: unknown,
  label: string,
): string | undefined {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return words.choiceList(label);
  const choices = fieldChoices(field) ?? [];
  const stranger = value.find((item) => !choices.some((choice) => choice.value === item));
  if (stranger !== undefined) return words.notAChoice(label, stranger, listed(words, choices));
  // The choices are a set: a value twice would count twice towards minItems.
  const repeated = value.find((item, at) => value.indexOf(item) !== at);
  if (repeated !== undefined) return words.repeated(label, repeated);
  if (field.minItems !== undefined && value.length < field.minItems) return words.tooFewChoices(label, field.minItems, value.length);
  if (field.maxItems !== undefined && value.length > field.maxItems) return words.tooManyChoices(label, field.maxItems, value.length);
  return undefined;
}

/** The formats MCP allows, as JSON Schema defines them (RFC 5321 mailbox as HTML reads it, RFC 3986 URI, RFC 3339 date and date-time). */
const formats: Record<NonNullable<Extract<ElicitationField, { type: 'string' }>['format']>, (text: string) => boolean> = {
  email: (text) => EMAIL.test(text),
  uri: isUri,
  date: isDate,
  'date-time': isDateTime,
};

/** The browser's own rule for `<input type="email">` (WHATWG), so the form and this check agree. */
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** An absolute URI: a scheme, then only the characters RFC 3986 allows, with each % escape complete. */
function isUri(text: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:(?:[\w\-.~:/?#[\]@!$&'()*+,;=]|%[0-9a-fA-F]{2})*$/.test(text) && URL.canParse(text);
}

function isDate(text: string): boolean {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return parts !== null && isCalendarDay(Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

/** RFC 3339: seconds and a zone are required; leap seconds are refused (nobody types one into a form). */
function isDateTime(text: string): boolean {
  const parts = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/.exec(text);
  if (!parts || !isDate(parts[1]!)) return false;
  const [hour, minute, second, zoneHour, zoneMinute] = parts.slice(2).map((part) => Number(part ?? 0)) as number[];
  return hour! <= 23 && minute! <= 59 && second! <= 59 && zoneHour! <= 23 && zoneMinute! <= 59;
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/** The choices' labels, the first ten of a long list. */
function listed(words: FormWords, choices: Choice[]): string {
  const shown = choices.slice(0, 10).map((choice) => choice.label);
  return choices.length > 10 ? words.andMore(shown.join(', '), choices.length - 10) : shown.join(', ');
}
