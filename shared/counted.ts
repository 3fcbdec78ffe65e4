/**
 * A number with its noun, singular for one: "1 tool", "2 tools", "0 servers". Every count the
 * web chat and the forms show goes through it, so none reads "1 tools" or "2 server(s)".
 */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
