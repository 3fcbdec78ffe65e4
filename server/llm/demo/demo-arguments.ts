/**
 * The demo model's guess at a tool's arguments from the person's message, property by property
 * from the tool's JSON Schema: "what time is it in Europe/Paris" → { timezone: 'Europe/Paris' },
 * "calculate 2+3*4" → { expression: '2+3*4' }, "create a note titled Groceries: eggs" →
 * { title: 'Groceries', body: 'eggs' }. A guess, not understanding: the person sees and can edit it.
 */
interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
}

interface ObjectSchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

// Every rule here reads a message a person wrote, so each takes time in proportion to its length:
// patterns whose failed attempts overlap (and so cost the square of the length) are scans instead.

/**
 * "Europe/Paris", "America/Argentina/Buenos_Aires". Linear: a failed attempt stops at a segment
 * that cannot end a zone (only dashes), and no other zone can start inside such a segment.
 */
const ZONE = /\b[A-Z][A-Za-z_]+(?:\/[A-Za-z_-]+)+\b/;
/** Stretches of characters arithmetic is written with ("x", "×" and "÷" as people write them). */
const ARITHMETIC = /[\d.\s()+\-*/^%x×÷]+/g;
const OPERATORS = '+-*/^%x×÷';
const TITLE_WORD = /\b(?:titled|called|named|title)\s+/i;
const TITLE_ENDS = ':"”\'\n';
const TITLE_JOINED = /\b(?:with|saying)\b/i;
const OPENING_QUOTES = '"“\'';
const CLOSING_QUOTES = '"”\'';

export function inferArguments(message: string, schema: unknown, rest: string): Record<string, unknown> {
  const { properties = {}, required = [] } = (schema ?? {}) as ObjectSchema;
  const numbers = [...message.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const type = Array.isArray(property.type) ? property.type[0] : property.type;
    const value = guess(name, type, property, message, rest, numbers);
    if (value !== undefined) args[name] = value;
    else if (required.includes(name)) args[name] = fallback(type, property, rest);
  }
  return args;
}

function guess(
  name: string,
  type: string | undefined,
  property: PropertySchema,
  message: string,
  rest: string,
  numbers: number[],
): unknown {
  if (property.enum) return property.enum.find((option) => message.toLowerCase().includes(String(option).toLowerCase()));
  if (type === 'number' || type === 'integer') return numbers.shift();
  if (type === 'boolean') return undefined;
  if (type !== undefined && type !== 'string') return undefined;
  if (/zone|tz|location|city|place/i.test(name)) return message.match(ZONE)?.[0];
  if (/expr|formula|equation|calculation/i.test(name)) return expressionIn(message);
  if (/title|subject|heading|^name$/i.test(name)) return titleIn(message);
  if (/body|content|text|message|note|description/i.test(name)) {
    const afterColon = message.includes(':') ? message.slice(message.indexOf(':') + 1).trim() : '';
    return afterColon || quotedIn(message) || rest || undefined;
  }
  if (/query|search|prompt|input|question/i.test(name)) return quotedIn(message) ?? (rest || undefined);
  return undefined;
}

/** The first stretch that reads as arithmetic (a number, an operator, another number), trimmed: "(1 + 2) * 3". */
function expressionIn(message: string): string | undefined {
  for (const [stretch] of message.matchAll(ARITHMETIC)) {
    if (!joinsNumbers(stretch)) continue;
    // It starts at a number, a sign or "(", and ends at a number or ")"; it holds a digit, so both stop.
    let start = 0;
    while (!/[\d.(+-]/.test(stretch[start]!)) start++;
    let end = stretch.length;
    while (!/[\d.)]/.test(stretch[end - 1]!)) end--;
    return stretch.slice(start, end);
  }
  return undefined;
}

function joinsNumbers(stretch: string): boolean {
  let awaiting: 'number' | 'operator' | 'second number' = 'number';
  for (const c of stretch) {
    if (c >= '0' && c <= '9') {
      if (awaiting === 'second number') return true;
      awaiting = 'operator';
    } else if (awaiting === 'operator' && OPERATORS.includes(c)) {
      awaiting = 'second number';
    }
  }
  return false;
}

/** "a note titled Groceries: eggs" → "Groceries": after the word, up to a colon, quote or line end, or "with"/"saying". */
function titleIn(message: string): string | undefined {
  const word = TITLE_WORD.exec(message);
  if (!word) return undefined;
  let start = word.index + word[0].length;
  if (OPENING_QUOTES.includes(message[start] ?? '')) start++;
  const end = indexOfAny(message, TITLE_ENDS, start);
  const title = message.slice(start, end < 0 ? undefined : end);
  const joined = TITLE_JOINED.exec(title);
  return (joined ? title.slice(0, joined.index) : title).trim() || undefined;
}

/** The first text between quotes that is not empty. */
function quotedIn(message: string): string | undefined {
  for (let open = 0; open < message.length; open++) {
    if (!OPENING_QUOTES.includes(message[open]!)) continue;
    const close = indexOfAny(message, CLOSING_QUOTES, open + 1);
    if (close < 0) return undefined;
    // An empty pair: the closing quote may open the next one, and the loop goes on from there.
    if (close > open + 1) return message.slice(open + 1, close);
  }
  return undefined;
}

function indexOfAny(text: string, characters: string, from: number): number {
  for (let at = from; at < text.length; at++) if (characters.includes(text[at]!)) return at;
  return -1;
}

function fallback(type: string | undefined, property: PropertySchema, rest: string): unknown {
  if (property.default !== undefined) return property.default;
  if (property.enum?.length) return property.enum[0];
  switch (type) {
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return rest;
  }
}
