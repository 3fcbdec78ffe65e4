/**
 * RFC 6570 URI templates, as MCP resource templates use them (`countersign://notes/{id}`): the
 * variables a template names, and the URI it makes from their values. Here rather than the SDK's
 * UriTemplate because the web chat needs it too, and the SDK does not belong in the browser.
 * Lists and explode (`{list*}`) are not supported: every value is one string.
 */

const EXPRESSION = /\{([+#./;?&]?)([^{}]+)\}/g;

interface Operator {
  first: string;
  separator: string;
  /** `name=value` pairs (`;`, `?`, `&`). */
  named: boolean;
  /** Reserved characters stay as they are (`+`, `#`). */
  reserved: boolean;
}

const OPERATORS: Record<string, Operator> = {
  '': { first: '', separator: ',', named: false, reserved: false },
  '+': { first: '', separator: ',', named: false, reserved: true },
  '#': { first: '#', separator: ',', named: false, reserved: true },
  '.': { first: '.', separator: '.', named: false, reserved: false },
  '/': { first: '/', separator: '/', named: false, reserved: false },
  ';': { first: ';', separator: ';', named: true, reserved: false },
  '?': { first: '?', separator: '&', named: true, reserved: false },
  '&': { first: '&', separator: '&', named: true, reserved: false },
};

/** `name`, `name:3` or `name*` → its name and prefix length. */
function varspec(spec: string): { name: string; prefix: number | undefined } {
  const [name = '', prefix] = spec.trim().replace(/\*$/, '').split(':');
  return { name, prefix: prefix === undefined ? undefined : Number(prefix) };
}

/** The template's variable names, each once, in order. */
export function templateVariables(template: string): string[] {
  const names = [...template.matchAll(EXPRESSION)].flatMap(([, , specs = '']) => specs.split(',').map((spec) => varspec(spec).name));
  return [...new Set(names.filter(Boolean))];
}

function encode(value: string, reserved: boolean): string {
  if (reserved) return encodeURI(value);
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The URI the template makes from `values`; a variable with no value is left out, as the RFC says. */
export function expandUriTemplate(template: string, values: Record<string, string | undefined>): string {
  return template.replace(EXPRESSION, (_, op: string, specs: string) => {
    const operator = OPERATORS[op]!;
    const parts = specs.split(',').flatMap((spec) => {
      const { name, prefix } = varspec(spec);
      const value = values[name];
      if (value === undefined) return [];
      const encoded = encode(prefix === undefined ? value : value.slice(0, prefix), operator.reserved);
      if (!operator.named) return [encoded];
      return [value === '' && op === ';' ? name : `${name}=${encoded}`];
    });
    return parts.length === 0 ? '' : operator.first + parts.join(operator.separator);
  });
}
