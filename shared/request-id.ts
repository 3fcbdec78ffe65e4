/**
 * The id a client gives each HTTP request it sends (header `x-request-id`): the server's log lines
 * for the request carry it and its response echoes it, so a person's report finds them. From
 * getRandomValues, which browsers offer on plain-HTTP origins too (randomUUID needs HTTPS).
 */
export const REQUEST_ID_HEADER = 'x-request-id';

export function newRequestIdHeader(): Record<string, string> {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return { [REQUEST_ID_HEADER]: Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('') };
}
