/**
 * What never reaches a log line: credentials under field names that say what they are, and
 * credentials written into free text, mostly error messages that echo a request (an MCP server
 * quoting the header it refused). Both replace the value, not the field, so a line still says that
 * a token was there.
 */

const REDACTED = '[redacted]';

/** Field names whose values are credentials, wherever a logged object carries them. */
const SECRET_FIELDS = [
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'access_token',
  'refresh_token',
  'id_token',
  'apiKey',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'cookie',
  'code_verifier',
  'codeVerifier',
];

/** Header names whose values are credentials (matched in any case). */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key'];

const secretFields = new Set(SECRET_FIELDS);
const secretHeaders = new Set(SECRET_HEADERS);
const isSecretKey = (key: string) => secretFields.has(key) || secretHeaders.has(key.toLowerCase());
/** Top-level fields are depth 0: names count down to a header object inside a field's field. */
const DEEPEST = 3;

/**
 * `value` with every credential-named key's value replaced, copying only the objects that held
 * one, so a line without credentials costs a walk over its few keys and nothing else. (pino's
 * `redact` paths would do the same, but its wildcards for "one or two levels down" cost tens of
 * microseconds a line.) Only plain objects and arrays are entered; class instances are left as
 * JSON.stringify would write them.
 */
export function redacted<T>(value: T, depth = 0): T {
  if (depth > DEEPEST || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => redacted(item, depth + 1));
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(record)) {
    const next = isSecretKey(key) ? REDACTED : redacted(inner, depth + 1);
    if (next !== inner) {
      copy ??= { ...record };
      copy[key] = next;
    }
  }
  return (copy ?? value) as T;
}

const headerNames = SECRET_HEADERS.map((name) => name.replaceAll('-', '[-_]?')).join('|');
/** `Authorization: …`, `"x-api-key":"…"`, `cookie=…`: the value up to the end of its line or quote. */
const HEADER_IN_TEXT = new RegExp(`\\b(${headerNames})(["']?\\s*[:=]\\s*["']?)[^"'\\r\\n]+`, 'gi');
const BEARER_IN_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** A Countersign API token (server/auth/api-tokens.ts: `cs_` and a random tail). */
const API_TOKEN_IN_TEXT = /\bcs_[A-Za-z0-9_-]{8,}/g;

/** `text` with every credential it spells out replaced; cheap when there is none (one test per pattern). */
export function scrubText(text: string): string {
  return text
    .replace(HEADER_IN_TEXT, `$1$2${REDACTED}`)
    .replace(BEARER_IN_TEXT, `$1 ${REDACTED}`)
    .replace(API_TOKEN_IN_TEXT, `cs_${REDACTED}`);
}
