/**
 * The rules of an elicitation form (shared/elicitation-form.ts), which the web chat shows as the
 * person types and the server applies before an answer goes back: each rule accepts what the
 * requested schema allows, refuses what it does not, and names the field by its title.
 */
import { describe, expect, test } from 'bun:test';
import {
  checkElicitationContent,
  elicitationProblems,
  fieldChoices,
  fieldLimits,
  filledIn,
  initialValues,
} from '../../shared/elicitation-form.ts';
import type { ElicitationField, ElicitationSchema } from '../../shared/questions.ts';

/** The problems with one field's value, in a form holding only that field. */
const check = (field: ElicitationField, value: unknown, required = false) =>
  checkElicitationContent({ type: 'object', properties: { answer: field }, required: required ? ['answer'] : [] }, { answer: value });

const text = (extra: Partial<Extract<ElicitationField, { type: 'string' }>> = {}): ElicitationField => ({
  type: 'string',
  title: 'Answer',
  ...extra,
});

describe('which fields are there', () => {
  const schema: ElicitationSchema = {
    type: 'object',
    properties: { name: { type: 'string', title: 'Your name' }, nickname: { type: 'string' } },
    required: ['name'],
  };

  test('a required field left out is refused, by its title; an optional one may be left out', () => {
    expect(checkElicitationContent(schema, { name: 'Ada' })).toEqual([]);
    expect(checkElicitationContent(schema, { nickname: 'A' })).toEqual(['Your name is required.']);
    expect(checkElicitationContent(schema, { name: undefined })).toEqual(['Your name is required.']);
  });

  test('a field without a title is named by its name', () => {
    expect(checkElicitationContent({ ...schema, required: ['nickname'] }, { name: 'Ada' })).toEqual(['nickname is required.']);
  });

  test('a field the schema does not have is refused, even one named like an object’s own property', () => {
    expect(checkElicitationContent(schema, { name: 'Ada', age: 3 })).toEqual(['The form has no field “age”.']);
    expect(checkElicitationContent(schema, { name: 'Ada', constructor: 'x', toString: 'y' })).toEqual([
      'The form has no field “constructor”.',
      'The form has no field “toString”.',
    ]);
  });

  test('a required name the schema never defines cannot be answered', () => {
    expect(checkElicitationContent({ ...schema, required: ['name', 'ghost'] }, { name: 'Ada' })).toEqual(['ghost is required.']);
  });

  test('every field’s problem is listed, one per field, with the field it belongs to', () => {
    expect(elicitationProblems(schema, { nickname: 4, extra: true })).toEqual([
      { field: 'name', message: 'Your name is required.' },
      { field: 'nickname', message: 'nickname must be text.' },
      { field: 'extra', message: 'The form has no field “extra”.' },
    ]);
  });
});

describe('text', () => {
  test('must be text', () => {
    expect(check(text(), 'hello')).toEqual([]);
    expect(check(text(), 42)).toEqual(['Answer must be text.']);
    expect(check(text(), ['a'])).toEqual(['Answer must be text.']);
  });

  test('minLength and maxLength count characters, an emoji as one', () => {
    expect(check(text({ minLength: 2, maxLength: 3 }), 'ab')).toEqual([]);
    expect(check(text({ minLength: 2, maxLength: 3 }), 'abc')).toEqual([]);
    expect(check(text({ maxLength: 2 }), '👋🏽')).toEqual([]);
    expect(check(text({ minLength: 2 }), 'a')).toEqual(['Answer must be at least 2 characters; it has 1.']);
    expect(check(text({ minLength: 1 }), '')).toEqual(['Answer must be at least 1 character; it has 0.']);
    expect(check(text({ maxLength: 3 }), 'abcd')).toEqual(['Answer must be at most 3 characters; it has 4.']);
  });

  test('email', () => {
    for (const good of ['ada@example.org', 'a.b+tag@mail.example.co.uk', 'root@localhost'])
      expect(check(text({ format: 'email' }), good)).toEqual([]);
    for (const bad of ['ada', 'ada@', '@example.org', 'ada @example.org', 'ada@exa mple.org', 'ada@-example.org']) {
      expect(check(text({ format: 'email' }), bad)).toEqual(['Answer must be an email address, like name@example.org.']);
    }
  });

  test('uri: absolute, with a scheme, nothing a URI may not hold', () => {
    for (const good of ['https://example.org/a?b=c#d', 'mailto:ada@example.org', 'urn:isbn:0451450523', 'https://example.org/%20x']) {
      expect(check(text({ format: 'uri' }), good)).toEqual([]);
    }
    for (const bad of ['example.org', '/relative/path', 'https://exa mple.org', 'https://example.org/%zz', 'http://', 'https://例え.jp']) {
      expect(check(text({ format: 'uri' }), bad)).toEqual(['Answer must be a full URI, like https://example.org/page.']);
    }
  });

  test('date: a real calendar day, leap years included', () => {
    for (const good of ['2026-05-01', '2024-02-29', '2000-02-29']) expect(check(text({ format: 'date' }), good)).toEqual([]);
    for (const bad of ['2026-5-1', '2026-02-29', '1900-02-29', '2026-13-01', '2026-04-31', '2026-05-01T00:00:00Z', 'tomorrow']) {
      expect(check(text({ format: 'date' }), bad)).toEqual(['Answer must be a date, like 2026-05-01.']);
    }
  });

  test('date-time: RFC 3339, with seconds and a time zone', () => {
    for (const good of ['2026-05-01T09:30:00Z', '2026-05-01t09:30:00.123z', '2026-05-01T23:59:59+05:30', '2026-05-01T00:00:00-08:00']) {
      expect(check(text({ format: 'date-time' }), good)).toEqual([]);
    }
    const bad = [
      '2026-05-01',
      '2026-05-01T09:30',
      '2026-05-01T09:30:00',
      '2026-05-01 09:30:00Z',
      '2026-05-01T24:00:00Z',
      '2026-05-01T09:60:00Z',
    ];
    for (const value of [...bad, '2026-02-30T09:30:00Z', '2026-05-01T09:30:00+24:00']) {
      expect(check(text({ format: 'date-time' }), value)).toEqual([
        'Answer must be a date and time with its time zone, like 2026-05-01T09:30:00Z.',
      ]);
    }
  });
});

describe('single choice', () => {
  test('enum, labelled by enumNames', () => {
    const field = text({ enum: ['r', 'g'], enumNames: ['Red', 'Green'] });
    expect(fieldChoices(field)).toEqual([
      { value: 'r', label: 'Red' },
      { value: 'g', label: 'Green' },
    ]);
    expect(check(field, 'g')).toEqual([]);
    expect(check(field, 'Green')).toEqual(['Answer must be one of the choices: Red, Green.']);
  });

  test('oneOf with titles (a choice without a title shows its value)', () => {
    const field = text({ oneOf: [{ const: 'r', title: 'Red' }, { const: 'g' }] });
    expect(fieldChoices(field)).toEqual([
      { value: 'r', label: 'Red' },
      { value: 'g', label: 'g' },
    ]);
    expect(check(field, 'r')).toEqual([]);
    expect(check(field, 'b')).toEqual(['Answer must be one of the choices: Red, g.']);
  });

  test('a long list of choices is cut short in the message', () => {
    const field = text({ enum: Array.from({ length: 14 }, (_, at) => `c${at}`) });
    expect(check(field, 'x')).toEqual(['Answer must be one of the choices: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 4 more.']);
  });

  test('free text has no choices', () => {
    expect(fieldChoices(text())).toBeUndefined();
    expect(fieldChoices({ type: 'boolean' })).toBeUndefined();
  });
});

describe('numbers', () => {
  const number: ElicitationField = { type: 'number', title: 'Amount', minimum: 1, maximum: 10 };
  const integer: ElicitationField = { type: 'integer', title: 'Count', minimum: -2, maximum: 2 };

  test('a number within minimum and maximum, bounds included', () => {
    for (const good of [1, 2.5, 10]) expect(check(number, good)).toEqual([]);
    expect(check(number, 0.5)).toEqual(['Amount must be at least 1.']);
    expect(check(number, 10.01)).toEqual(['Amount must be at most 10.']);
  });

  test('not text, and not NaN or infinity', () => {
    for (const bad of ['5', Number.NaN, Number.POSITIVE_INFINITY, true]) expect(check(number, bad)).toEqual(['Amount must be a number.']);
  });

  test('an integer is whole', () => {
    for (const good of [-2, 0, 2]) expect(check(integer, good)).toEqual([]);
    expect(check(integer, 1.5)).toEqual(['Count must be a whole number.']);
    expect(check(integer, -3)).toEqual(['Count must be at least -2.']);
    expect(check(integer, 3)).toEqual(['Count must be at most 2.']);
  });
});

describe('yes or no', () => {
  test('a boolean, and nothing that looks like one', () => {
    const field: ElicitationField = { type: 'boolean', title: 'Subscribe' };
    expect(check(field, true)).toEqual([]);
    expect(check(field, false, true)).toEqual([]);
    for (const bad of ['true', 1, 0]) expect(check(field, bad)).toEqual(['Subscribe must be yes or no (true or false).']);
  });
});

describe('multiple choice', () => {
  const untitled: ElicitationField = { type: 'array', title: 'Toppings', items: { type: 'string', enum: ['ham', 'egg', 'leek'] } };
  const titled: ElicitationField = {
    type: 'array',
    title: 'Days',
    minItems: 1,
    maxItems: 2,
    items: { anyOf: [{ const: 'mon', title: 'Monday' }, { const: 'tue', title: 'Tuesday' }, { const: 'wed' }] },
  };

  test('choices from items.enum or items.anyOf', () => {
    expect(fieldChoices(untitled)?.map((choice) => choice.label)).toEqual(['ham', 'egg', 'leek']);
    expect(fieldChoices(titled)).toEqual([
      { value: 'mon', label: 'Monday' },
      { value: 'tue', label: 'Tuesday' },
      { value: 'wed', label: 'wed' },
    ]);
  });

  test('a list of the choices, none chosen allowed without minItems', () => {
    expect(check(untitled, [])).toEqual([]);
    expect(check(untitled, ['leek', 'ham'])).toEqual([]);
    expect(check(untitled, 'ham')).toEqual(['Toppings must be a list of choices.']);
    expect(check(untitled, ['ham', 3])).toEqual(['Toppings must be a list of choices.']);
    expect(check(untitled, ['ham', 'spam'])).toEqual(['Toppings: “spam” is not one of the choices (ham, egg, leek).']);
    expect(check(untitled, ['egg', 'egg'])).toEqual(['Toppings lists “egg” more than once.']);
  });

  test('minItems and maxItems', () => {
    expect(check(titled, ['mon'])).toEqual([]);
    expect(check(titled, ['mon', 'wed'])).toEqual([]);
    expect(check(titled, [])).toEqual(['Days needs at least 1 choice; 0 chosen.']);
    expect(check(titled, ['mon', 'tue', 'wed'])).toEqual(['Days takes at most 2 choices; 3 chosen.']);
  });
});

describe('what the form starts with and sends', () => {
  const schema: ElicitationSchema = {
    type: 'object',
    properties: {
      name: { type: 'string', default: 'Ada' },
      agree: { type: 'boolean' },
      newsletter: { type: 'boolean', default: true },
      size: { type: 'integer', default: 3 },
      days: { type: 'array', items: { enum: ['mon', 'tue'] }, default: ['tue'] },
      note: { type: 'string' },
    },
  };

  test('the server’s defaults; unticked, or nothing chosen, for checkboxes without one', () => {
    expect(initialValues(schema)).toEqual({ name: 'Ada', agree: false, newsletter: true, size: 3, days: ['tue'] });
    const untouched: ElicitationSchema = { type: 'object', properties: { days: { type: 'array', items: { enum: ['mon'] } } } };
    expect(initialValues(untouched)).toEqual({ days: [] });
  });

  test('each field’s bounds in words, shown before the person runs into them', () => {
    expect(fieldLimits(text({ minLength: 2, maxLength: 50 }))).toBe('2 to 50 characters.');
    expect(fieldLimits(text({ maxLength: 1 }))).toBe('At most 1 character.');
    expect(fieldLimits({ type: 'integer', minimum: 0 })).toBe('At least 0.');
    expect(fieldLimits({ type: 'number', minimum: 1.5, maximum: 2 })).toBe('From 1.5 to 2.');
    expect(fieldLimits({ type: 'array', items: { enum: [] }, minItems: 1 })).toBe('At least 1 choice.');
    expect(fieldLimits(text())).toBeUndefined();
    expect(fieldLimits({ type: 'boolean' })).toBeUndefined();
  });

  test('empty fields are left out, so a required one is reported missing rather than sent blank', () => {
    const content = filledIn({ name: '', note: undefined, agree: false, size: 0, days: [] });
    expect(content).toEqual({ agree: false, size: 0, days: [] });
    expect(checkElicitationContent({ ...schema, required: ['name'] }, content)).toEqual(['name is required.']);
  });
});
