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

const ZONE = /\b[A-Z][A-Za-z_]+(?:\/[A-Za-z_-]+)+\b/;
const EXPRESSION = /[-+(]*\d[\d.\s]*(?:[-+*/^%x×÷][\s(]*-?\d[\d.\s)]*)+/;
const TITLE = /\b(?:titled|called|named|title)\s+["“']?([^:"”'\n]+?)["”']?\s*(?::|$|\bwith\b|\bsaying\b)/i;
const QUOTED = /["“']([^"”']+)["”']/;

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
  if (/expr|formula|equation|calculation/i.test(name)) return message.match(EXPRESSION)?.[0]?.trim();
  if (/title|subject|heading|^name$/i.test(name)) return message.match(TITLE)?.[1]?.trim();
  if (/body|content|text|message|note|description/i.test(name)) {
    const afterColon = message.includes(':') ? message.slice(message.indexOf(':') + 1).trim() : '';
    return afterColon || message.match(QUOTED)?.[1] || rest || undefined;
  }
  if (/query|search|prompt|input|question/i.test(name)) return message.match(QUOTED)?.[1] ?? (rest || undefined);
  return undefined;
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
